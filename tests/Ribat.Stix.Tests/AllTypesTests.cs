using System.Collections;
using System.Text;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;

namespace Ribat.Stix.Tests;

/// <summary>
/// One object of every STIX 2.1 type with the properties the spec defines for it (written from sections 4 to 7 of
/// the specification): every property must land in the model, not in <c>Custom</c>, so a misspelt property name in
/// the model fails here.
/// </summary>
public sealed class AllTypesTests
{
    private const string C = "\"spec_version\":\"2.1\",\"created\":\"2021-01-01T00:00:00.000Z\",\"modified\":\"2021-01-02T00:00:00.000Z\"";
    private const string Id = "identity--311b2d2d-f010-4473-83ec-1edf84858f4c";
    private const string Mark = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    private const string Ext = "extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e";
    private const string Ip = "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4";
    private const string Ip6 = "ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1";
    private const string Mac = "mac-addr--65cfcf98-8a6e-5a1b-8f61-379ac4f92d00";
    private const string As = "autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff";
    private const string Dom = "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7";
    private const string Art = "artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641";
    private const string Dir = "directory--93c0a9b0-520d-545d-9094-1a08ddf46b05";
    private const string Fil = "file--fb0419a8-f09c-57f8-be64-71a80417591c";
    private const string Em = "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3";
    private const string Ua = "user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c";
    private const string Nt = "network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d";
    private const string Pr = "process--f52a906a-0dfc-40bd-92f1-e7778ead38a9";
    private const string Sw = "software--a1827f6d-ca53-5605-9e93-4316cd22a00a";
    private const string Ind = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private const string Mal = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";
    private const string Loc = "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64";
    private const string Od = "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf";

    private static readonly string[] Objects =
    [
        $$$$"""{"type":"identity",{{{{C}}}},"id":"{{{{Id}}}}","name":"ACME","description":"d","roles":["cert"],"identity_class":"organization","sectors":["technology"],"contact_information":"a@b.c","created_by_ref":"{{{{Id}}}}","revoked":false,"labels":["l"],"confidence":50,"lang":"en","external_references":[{"source_name":"cve","external_id":"CVE-2021-44228","url":"https://nvd.nist.gov","description":"x","hashes":{"SHA-256":"aa"}}],"object_marking_refs":["{{{{Mark}}}}"],"granular_markings":[{"marking_ref":"{{{{Mark}}}}","selectors":["description","labels.[0]"]},{"lang":"fr","selectors":["name"]}],"extensions":{"{{{{Ext}}}}":{"extension_type":"property-extension","rank":5}}}""",
        $$$$"""{"type":"marking-definition","spec_version":"2.1","id":"{{{{Mark}}}}","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:AMBER","definition":{"tlp":"amber"}}""",
        $$$$"""{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--d5f7e6b5-8c7f-4d41-9b7b-2a6c1e0d9f21","created":"2017-01-20T00:00:00.000Z","created_by_ref":"{{{{Id}}}}","definition_type":"statement","definition":{"statement":"Copyright ACME"},"external_references":[{"source_name":"acme","url":"https://acme.example"}],"object_marking_refs":["{{{{Mark}}}}"]}""",
        $$$$"""{"type":"extension-definition",{{{{C}}}},"id":"{{{{Ext}}}}","created_by_ref":"{{{{Id}}}}","name":"rank","description":"d","schema":"https://acme.example/schema.json","version":"1.0.0","extension_types":["property-extension"],"extension_properties":["rank"]}""",
        $$$$"""{"type":"language-content",{{{{C}}}},"id":"language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d","object_ref":"{{{{Ind}}}}","object_modified":"2021-01-02T00:00:00.000Z","contents":{"fr":{"name":"Indicateur"}}}""",
        $$$$"""{"type":"attack-pattern",{{{{C}}}},"id":"attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","name":"Spear Phishing","description":"d","aliases":["a"],"kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain","phase_name":"delivery"}],"external_references":[{"source_name":"capec","external_id":"CAPEC-163"}]}""",
        $$$$"""{"type":"campaign",{{{{C}}}},"id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"Green","description":"d","aliases":["g"],"first_seen":"2016-04-06T20:03:00Z","last_seen":"2016-05-06T20:03:00Z","objective":"o"}""",
        $$$$"""{"type":"course-of-action",{{{{C}}}},"id":"course-of-action--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"Block","description":"d"}""",
        $$$$"""{"type":"grouping",{{{{C}}}},"id":"grouping--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","name":"g","description":"d","context":"suspicious-activity","object_refs":["{{{{Ind}}}}"]}""",
        $$$$"""{"type":"incident",{{{{C}}}},"id":"incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"i","description":"d","kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"impact"}]}""",
        $$$$"""{"type":"indicator",{{{{C}}}},"id":"{{{{Ind}}}}","name":"n","description":"d","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","pattern_version":"2.1","valid_from":"2021-01-01T00:00:00Z","valid_until":"2022-01-01T00:00:00Z","kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"command-and-control"}]}""",
        $$$$"""{"type":"infrastructure",{{{{C}}}},"id":"infrastructure--38c47d93-d984-4fd9-b87b-d69d0841628d","name":"C2","description":"d","infrastructure_types":["command-and-control"],"aliases":["c"],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"command-and-control"}],"first_seen":"2016-01-01T00:00:00Z","last_seen":"2016-02-01T00:00:00Z"}""",
        $$$$"""{"type":"intrusion-set",{{{{C}}}},"id":"intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29","name":"Bobcat","description":"d","aliases":["b"],"first_seen":"2016-01-01T00:00:00Z","last_seen":"2016-02-01T00:00:00Z","goals":["g"],"resource_level":"government","primary_motivation":"organizational-gain","secondary_motivations":["dominance"]}""",
        $$$$"""{"type":"location",{{{{C}}}},"id":"{{{{Loc}}}}","name":"Rabat","description":"d","latitude":34.0209,"longitude":-6.8416,"precision":1000.0,"region":"northern-africa","country":"MA","administrative_area":"Rabat-Sale-Kenitra","city":"Rabat","street_address":"1 Av.","postal_code":"10000"}""",
        $$$$"""{"type":"malware",{{{{C}}}},"id":"{{{{Mal}}}}","name":"Cryptolocker","description":"d","malware_types":["ransomware"],"is_family":true,"aliases":["c"],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"impact"}],"first_seen":"2016-01-01T00:00:00Z","last_seen":"2016-02-01T00:00:00Z","operating_system_refs":["{{{{Sw}}}}"],"architecture_execution_envs":["x86"],"implementation_languages":["c"],"capabilities":["evades-av"],"sample_refs":["{{{{Fil}}}}"]}""",
        $$$$"""{"type":"malware-analysis",{{{{C}}}},"id":"malware-analysis--d25167b7-fed0-4068-9ccd-a73dd2c5b07c","product":"av","version":"1","host_vm_ref":"{{{{Sw}}}}","operating_system_ref":"{{{{Sw}}}}","installed_software_refs":["{{{{Sw}}}}"],"configuration_version":"1","modules":["m"],"analysis_engine_version":"1","analysis_definition_version":"1","submitted":"2021-01-01T00:00:00Z","analysis_started":"2021-01-01T00:00:01Z","analysis_ended":"2021-01-01T00:00:02Z","result_name":"Troj","result":"malicious","analysis_sco_refs":["{{{{Fil}}}}"],"sample_ref":"{{{{Fil}}}}"}""",
        $$$$"""{"type":"note",{{{{C}}}},"id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","abstract":"a","content":"c","authors":["x"],"object_refs":["{{{{Mal}}}}"]}""",
        $$$$"""{"type":"observed-data",{{{{C}}}},"id":"{{{{Od}}}}","first_observed":"2021-01-01T00:00:00Z","last_observed":"2021-01-01T00:00:00Z","number_observed":1,"object_refs":["{{{{Ip}}}}"]}""",
        $$$$"""{"type":"opinion",{{{{C}}}},"id":"opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7","explanation":"e","authors":["x"],"opinion":"agree","object_refs":["{{{{Ind}}}}"]}""",
        $$$$"""{"type":"report",{{{{C}}}},"id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","name":"r","description":"d","report_types":["threat-report"],"published":"2021-01-01T00:00:00Z","object_refs":["{{{{Ind}}}}","{{{{Mal}}}}"]}""",
        $$$$"""{"type":"threat-actor",{{{{C}}}},"id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"Evil","description":"d","threat_actor_types":["crime-syndicate"],"aliases":["e"],"first_seen":"2016-01-01T00:00:00Z","last_seen":"2016-02-01T00:00:00Z","roles":["director"],"goals":["g"],"sophistication":"expert","resource_level":"organization","primary_motivation":"personal-gain","secondary_motivations":["revenge"],"personal_motivations":["notoriety"]}""",
        $$$$"""{"type":"tool",{{{{C}}}},"id":"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"VNC","description":"d","tool_types":["remote-access"],"aliases":["v"],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"lateral-movement"}],"tool_version":"1.0"}""",
        $$$$"""{"type":"vulnerability",{{{{C}}}},"id":"vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","name":"CVE-2021-44228","description":"d","external_references":[{"source_name":"cve","external_id":"CVE-2021-44228"}]}""",
        $$$$"""{"type":"relationship",{{{{C}}}},"id":"relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e","relationship_type":"indicates","description":"d","source_ref":"{{{{Ind}}}}","target_ref":"{{{{Mal}}}}","start_time":"2021-01-01T00:00:00Z","stop_time":"2021-02-01T00:00:00Z"}""",
        $$$$"""{"type":"sighting",{{{{C}}}},"id":"sighting--ee20065d-2555-424f-ad9e-0f8428623c75","description":"d","first_seen":"2021-01-01T00:00:00Z","last_seen":"2021-01-02T00:00:00Z","count":3,"sighting_of_ref":"{{{{Ind}}}}","observed_data_refs":["{{{{Od}}}}"],"where_sighted_refs":["{{{{Id}}}}","{{{{Loc}}}}"],"summary":false}""",
        $$$$"""{"type":"artifact","spec_version":"2.1","id":"{{{{Art}}}}","mime_type":"application/zip","payload_bin":"VBORw0KGgoAAAANSUhEUgAAADI=","hashes":{"MD5":"6b885a1e1d42c0ca66e5f8a17e5a5d29"},"encryption_algorithm":"mime-type-indicated","decryption_key":"My voice is my passport","defanged":false,"object_marking_refs":["{{{{Mark}}}}"]}""",
        $$$$"""{"type":"autonomous-system","spec_version":"2.1","id":"{{{{As}}}}","number":15139,"name":"Slime Industries","rir":"ARIN"}""",
        $$$$"""{"type":"directory","spec_version":"2.1","id":"{{{{Dir}}}}","path":"C:\\Windows\\System32","path_enc":"cGF0aA==","ctime":"2018-11-23T08:17:27.000Z","mtime":"2018-11-23T08:17:27.000Z","atime":"2018-11-23T08:17:27.000Z","contains_refs":["{{{{Fil}}}}"]}""",
        $$$$"""{"type":"domain-name","spec_version":"2.1","id":"{{{{Dom}}}}","value":"example.com","resolves_to_refs":["{{{{Ip}}}}"]}""",
        $$$$"""{"type":"email-addr","spec_version":"2.1","id":"{{{{Em}}}}","value":"john@example.com","display_name":"John Doe","belongs_to_ref":"{{{{Ua}}}}"}""",
        $$$$"""{"type":"email-message","spec_version":"2.1","id":"email-message--cf9b4b7f-14c8-5955-8065-020e0316b559","is_multipart":true,"date":"1997-11-21T15:55:06.000Z","content_type":"multipart/mixed","from_ref":"{{{{Em}}}}","sender_ref":"{{{{Em}}}}","to_refs":["{{{{Em}}}}"],"cc_refs":["{{{{Em}}}}"],"bcc_refs":["{{{{Em}}}}"],"message_id":"<m@example.com>","subject":"Report","received_lines":["from x"],"additional_header_fields":{"X-Mailer":"m","Received":["a","b"]},"body_multipart":[{"content_type":"text/plain","body":"hi"},{"content_type":"image/png","content_disposition":"attachment","body_raw_ref":"{{{{Art}}}}"}],"raw_email_ref":"{{{{Art}}}}"}""",
        $$$$"""{"type":"file","spec_version":"2.1","id":"{{{{Fil}}}}","hashes":{"SHA-256":"ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a"},"size":25536,"name":"foo.dll","name_enc":"utf-8","magic_number_hex":"4D5A","mime_type":"application/x-dosexec","ctime":"2018-11-23T08:17:27.000Z","mtime":"2018-11-23T08:17:27.000Z","atime":"2018-11-23T08:17:27.000Z","parent_directory_ref":"{{{{Dir}}}}","contains_refs":["{{{{Art}}}}"],"content_ref":"{{{{Art}}}}","extensions":{"archive-ext":{"contains_refs":["{{{{Dir}}}}"],"comment":"c"},"ntfs-ext":{"sid":"1","alternate_data_streams":[{"name":"second.stream","size":25536,"hashes":{"SHA-256":"aa"}}]},"pdf-ext":{"version":"1.7","is_optimized":false,"document_info_dict":{"Title":"t"},"pdfid0":"DFCE52BD827ECF765649852119D","pdfid1":"57A1E0F9ED2AE523E313C"},"raster-image-ext":{"image_height":768,"image_width":1024,"bits_per_pixel":72,"exif_tags":{"Make":"Nikon","XResolution":4928}},"windows-pebinary-ext":{"pe_type":"exe","imphash":"1","machine_hex":"014c","number_of_sections":4,"time_date_stamp":"2016-01-22T12:31:12Z","pointer_to_symbol_table_hex":"74726144","number_of_symbols":4542568,"size_of_optional_header":224,"characteristics_hex":"818f","file_header_hashes":{"MD5":"aa"},"optional_header":{"magic_hex":"010b","major_linker_version":2,"minor_linker_version":25,"size_of_code":512,"size_of_initialized_data":283648,"size_of_uninitialized_data":0,"address_of_entry_point":4096,"base_of_code":4096,"base_of_data":8192,"image_base":14548992,"section_alignment":4096,"file_alignment":4096,"major_os_version":1,"minor_os_version":0,"major_image_version":0,"minor_image_version":0,"major_subsystem_version":4,"minor_subsystem_version":0,"win32_version_value_hex":"00","size_of_image":299008,"size_of_headers":4096,"checksum_hex":"00","subsystem_hex":"03","dll_characteristics_hex":"00","size_of_stack_reserve":100000,"size_of_stack_commit":8192,"size_of_heap_reserve":100000,"size_of_heap_commit":4096,"loader_flags_hex":"abdbffde","number_of_rva_and_sizes":3758087646,"hashes":{"MD5":"aa"}},"sections":[{"name":"CODE","entropy":0.061089,"size":512,"hashes":{"MD5":"aa"}}]}}}""",
        $$$$"""{"type":"ipv4-addr","spec_version":"2.1","id":"{{{{Ip}}}}","value":"198.51.100.3","resolves_to_refs":["{{{{Mac}}}}"],"belongs_to_refs":["{{{{As}}}}"]}""",
        $$$$"""{"type":"ipv6-addr","spec_version":"2.1","id":"{{{{Ip6}}}}","value":"2001:0db8:85a3:0000:0000:8a2e:0370:7334","resolves_to_refs":["{{{{Mac}}}}"],"belongs_to_refs":["{{{{As}}}}"]}""",
        $$$$"""{"type":"mac-addr","spec_version":"2.1","id":"{{{{Mac}}}}","value":"d2:fb:49:24:37:18"}""",
        $$$$"""{"type":"mutex","spec_version":"2.1","id":"mutex--eba44954-d4e4-5d3b-814c-2b17dd8de300","name":"__CLEANSWEEP__"}""",
        $$$$"""{"type":"network-traffic","spec_version":"2.1","id":"{{{{Nt}}}}","start":"2018-11-23T08:17:27.000Z","end":"2018-11-23T08:18:27.000Z","is_active":false,"src_ref":"{{{{Ip}}}}","dst_ref":"{{{{Dom}}}}","src_port":2487,"dst_port":80,"protocols":["ipv4","tcp","http"],"src_byte_count":147600,"dst_byte_count":147600,"src_packets":100,"dst_packets":100,"ipfix":{"minimumIpTotalLength":32,"maximumIpTotalLength":2556},"src_payload_ref":"{{{{Art}}}}","dst_payload_ref":"{{{{Art}}}}","encapsulates_refs":["{{{{Nt}}}}"],"encapsulated_by_ref":"{{{{Nt}}}}","extensions":{"http-request-ext":{"request_method":"get","request_value":"/download.html","request_version":"http/1.1","request_header":{"Accept-Encoding":"gzip,deflate","Host":"www.example.com"},"message_body_length":0,"message_body_data_ref":"{{{{Art}}}}"},"icmp-ext":{"icmp_type_hex":"08","icmp_code_hex":"00"},"socket-ext":{"address_family":"AF_INET","is_blocking":false,"is_listening":true,"options":{"SO_TYPE":1},"socket_type":"SOCK_STREAM","socket_descriptor":3,"socket_handle":4},"tcp-ext":{"src_flags_hex":"00000002","dst_flags_hex":"00000012"}}}""",
        $$$$"""{"type":"process","spec_version":"2.1","id":"{{{{Pr}}}}","is_hidden":false,"pid":1221,"created_time":"2016-01-20T14:11:25.55Z","cwd":"/tmp/","command_line":"./gedit-bin --new-window","environment_variables":{"HOME":"/home/x"},"opened_connection_refs":["{{{{Nt}}}}"],"creator_user_ref":"{{{{Ua}}}}","image_ref":"{{{{Fil}}}}","parent_ref":"{{{{Pr}}}}","child_refs":["{{{{Pr}}}}"],"extensions":{"windows-process-ext":{"aslr_enabled":true,"dep_enabled":true,"priority":"HIGH_PRIORITY_CLASS","owner_sid":"S-1-5-21","window_title":"w","startup_info":{"dwFlags":1},"integrity_level":"high"},"windows-service-ext":{"service_name":"sirvizio","descriptions":["d"],"display_name":"Sirvizio","group_name":"g","start_type":"SERVICE_AUTO_START","service_dll_refs":["{{{{Fil}}}}"],"service_type":"SERVICE_WIN32_OWN_PROCESS","service_status":"SERVICE_RUNNING"}}}""",
        $$$$"""{"type":"software","spec_version":"2.1","id":"{{{{Sw}}}}","name":"Word","cpe":"cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*","swid":"com.microsoft.word","languages":["en"],"vendor":"Microsoft","version":"2002"}""",
        $$$$"""{"type":"url","spec_version":"2.1","id":"url--c1477287-23ac-5971-a010-5c287877fa60","value":"https://example.com/research/index.html"}""",
        $$$$"""{"type":"user-account","spec_version":"2.1","id":"{{{{Ua}}}}","user_id":"1001","credential":"p","account_login":"jdoe","account_type":"unix","display_name":"John Doe","is_service_account":false,"is_privileged":false,"can_escalate_privs":true,"is_disabled":false,"account_created":"2016-01-20T12:31:12Z","account_expires":"2018-01-20T12:31:12Z","credential_last_changed":"2016-01-20T14:27:43Z","account_first_login":"2016-01-20T14:26:07Z","account_last_login":"2016-07-22T16:08:28Z","extensions":{"unix-account-ext":{"gid":1001,"groups":["wheel"],"home_dir":"/home/jdoe","shell":"/bin/bash"}}}""",
        $$$$"""{"type":"windows-registry-key","spec_version":"2.1","id":"windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016","key":"hkey_local_machine\\system\\bar\\foo","values":[{"name":"Foo","data":"qwerty","data_type":"REG_SZ"}],"modified_time":"2018-01-20T12:31:12Z","creator_user_ref":"{{{{Ua}}}}","number_of_subkeys":2}""",
        $$$$"""{"type":"x509-certificate","spec_version":"2.1","id":"x509-certificate--b595eaf0-0b28-5dad-9e8e-0fab9c1facc9","is_self_signed":false,"hashes":{"SHA-256":"aa"},"version":"3","serial_number":"36:f7:d4:32","signature_algorithm":"md5WithRSAEncryption","issuer":"C=ZA, O=Thawte","validity_not_before":"2016-03-12T12:00:00Z","validity_not_after":"2016-08-21T12:00:00Z","subject":"C=US, CN=www.freesoft.org","subject_public_key_algorithm":"rsaEncryption","subject_public_key_modulus":"00:b4:e6","subject_public_key_exponent":65537,"x509_v3_extensions":{"basic_constraints":"critical,CA:TRUE","name_constraints":"n","policy_constraints":"p","key_usage":"cRLSign","extended_key_usage":"e","subject_key_identifier":"s","authority_key_identifier":"a","subject_alternative_name":"s","issuer_alternative_name":"i","subject_directory_attributes":"s","crl_distribution_points":"c","inhibit_any_policy":"2","private_key_usage_period_not_before":"2016-03-12T12:00:00Z","private_key_usage_period_not_after":"2018-03-12T12:00:00Z","certificate_policies":"c","policy_mappings":"p"}}""",
    ];

    private static string BundleJson() => $$$$"""{"type":"bundle","id":"bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33","objects":[{{{{string.Join(",\n", Objects)}}}}]}""";

    [Fact]
    public void Every_property_of_every_type_lands_in_the_model()
    {
        var result = StixSerializer.ReadBundle(Encoding.UTF8.GetBytes(BundleJson()));
        result.Issues.Should().BeEmpty();
        result.Objects.Should().HaveCount(Objects.Length);
        result.Objects.Select(o => o.GetType()).Should().NotContain(typeof(CustomStixObject));
        var unmodelled = new List<string>();
        foreach (var value in result.Objects)
        {
            FindCustom(value, value.Type, unmodelled);
        }

        // The one custom entry is the extension definition's, which is the spec's way of adding properties.
        unmodelled.Should().Equal($"identity.extensions: {Ext}");
    }

    [Fact]
    public void Every_type_validates_and_round_trips()
    {
        var strict = new StixValidator(new StixValidationOptions { DanglingReferences = StixSeverity.Error });
        var bytes = Encoding.UTF8.GetBytes(BundleJson());
        var result = StixSerializer.ReadBundle(bytes, validator: strict);
        result.Errors.Should().BeEmpty();
        result.Issues.Select(i => i.ToString()).Should().OnlyContain(i => i.Contains("SHOULD be a UUIDv5") || i.Contains("not the one its ID contributing properties give"));

        using var original = JsonDocument.Parse(bytes);
        using var written = JsonDocument.Parse(StixSerializer.WriteBundle(result.Bundle!));
        JsonSemantic.FirstDifference(original.RootElement, written.RootElement).Should().BeNull();
    }

    private static void FindCustom(object value, string path, List<string> found)
    {
        if (value is StixExtensible extensible && extensible.Custom is { Count: > 0 } custom)
        {
            found.AddRange(custom.Keys.Select(k => $"{path}: {k}"));
        }

        foreach (var property in value.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == nameof(StixExtensible.Custom))
            {
                continue;
            }

            var child = property.GetValue(value);
            if (child is StixExtensible)
            {
                FindCustom(child, $"{path}.{JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)}", found);
            }
            else if (child is IList list)
            {
                foreach (var item in list.OfType<StixExtensible>())
                {
                    FindCustom(item, $"{path}.{JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)}[]", found);
                }
            }
        }
    }
}
