using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Rule option keywords of Suricata (7/8) and Snort (2.9/3) in common use. The list only decides between silence and
/// a warning: an engine release adds keywords faster than any list can follow.
/// </summary>
internal static class NetworkRuleKeywords
{
    private static readonly FrozenSet<string> Known = new[]
    {
        // General
        "msg", "sid", "rev", "gid", "classtype", "reference", "priority", "metadata", "target", "requires", "service",
        // Payload
        "content", "uricontent", "nocase", "depth", "offset", "distance", "within", "fast_pattern", "rawbytes", "startswith",
        "endswith", "isdataat", "bsize", "dsize", "byte_test", "byte_jump", "byte_extract", "byte_math", "rpc", "replace",
        "pcre", "pkt_data", "file_data", "file.data", "base64_decode", "base64_data", "to_md5", "to_sha1", "to_sha256",
        "to_lowercase", "to_uppercase", "strip_whitespace", "compress_whitespace", "dotprefix", "url_decode", "xor",
        "pcrexform", "entropy", "absent", "datarep", "dataset", "luajit", "lua", "bitstring",
        // Flow and state
        "flow", "flowbits", "flowint", "xbits", "hostbits", "stream_size", "flow.age", "flow.pkts", "flow.bytes",
        "threshold", "detection_filter", "noalert", "tag", "flowvar", "pktvar", "session", "resp", "react", "activates",
        "activated_by", "count", "logto", "sameip", "stream_reassemble", "asn1", "cvs", "app-layer-protocol",
        "app-layer-event", "app-layer-state", "decode-event", "stream-event", "engine-event", "config", "iprep", "geoip",
        "fragbits", "fragoffset", "ttl", "tos", "id", "ipopts", "ip_proto", "flags", "seq", "ack", "window", "itype",
        "icode", "icmp_id", "icmp_seq", "tcp.flags", "tcp.mss", "tcp.hdr", "tcp.window", "udp.hdr", "ipv4.hdr", "ipv6.hdr",
        "icmpv4.hdr", "icmpv6.hdr", "icmpv6.mtu", "ip.src", "ip.dst", "ipv4.src", "ipv4.dst", "ipv6.src", "ipv6.dst",
        "tcp.sport", "tcp.dport", "udp.sport", "udp.dport", "port", "file_type", "file.name", "file.magic", "filename",
        "fileext", "filemagic", "filestore", "filemd5", "filesha1", "filesha256", "filesize", "file_meta", "prefilter",
        "transform", "ja3.hash", "ja3.string", "ja3s.hash", "ja3s.string", "ja4.hash", "ja3_hash", "ja3_string",
        "ja3s_hash", "ja3s_string",
        // HTTP (Suricata sticky buffers and Snort modifiers)
        "http_uri", "http_raw_uri", "http_header", "http_raw_header", "http_cookie", "http_method", "http_client_body",
        "http_server_body", "http_stat_code", "http_stat_msg", "http_user_agent", "http_host", "http_raw_host",
        "http_request_line", "http_response_line", "http_header_names", "http_accept", "http_accept_enc",
        "http_accept_lang", "http_referer", "http_connection", "http_content_type", "http_content_len", "http_start",
        "http_protocol", "http_param", "http_raw_body", "http_raw_cookie", "http_raw_request", "http_raw_status",
        "http_raw_trailer", "http_trailer", "http_true_ip", "http_version", "http_version_match", "http_num_headers",
        "http_num_trailers", "http_max_header_line", "http_max_trailer_line", "http_encode", "urilen",
        "http.uri", "http.uri.raw", "http.method", "http.request_line", "http.request_body", "http.response_body",
        "http.header", "http.header.raw", "http.header_names", "http.cookie", "http.user_agent", "http.host",
        "http.host.raw", "http.accept", "http.accept_enc", "http.accept_lang", "http.referer", "http.connection",
        "http.content_type", "http.content_len", "http.start", "http.protocol", "http.stat_code", "http.stat_msg",
        "http.response_line", "http.server", "http.location", "http.request_header", "http.response_header",
        "http2.frametype", "http2.errorcode", "http2.priority", "http2.window", "http2.size_update", "http2.settings",
        "http2.header_name", "http2.header",
        // TLS, DNS, SSH, SMB and other application layers
        "tls.sni", "tls.cert_subject", "tls.cert_issuer", "tls.cert_serial", "tls.cert_fingerprint", "tls.certs",
        "tls.cert_chain_len", "tls.version", "tls.subject", "tls.issuerdn", "tls.fingerprint", "tls.store",
        "tls_cert_notbefore", "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid", "tls.random", "tls.alpn",
        "tls.cert_subject.raw", "ssl_state", "ssl_version", "tls_sni", "tls_cert_subject", "tls_cert_issuer",
        "tls_cert_serial", "tls_cert_fingerprint",
        "dns.query", "dns_query", "dns.opcode", "dns.rcode", "dns.rrtype", "dns.answer.name", "dns.queries.rrname",
        "dns.answers.rrname", "dns.authorities.rrname", "dns.additionals.rrname",
        "ssh.proto", "ssh.software", "ssh_proto", "ssh_software", "ssh.protoversion", "ssh.softwareversion", "ssh.hassh",
        "ssh.hassh.string", "ssh.hassh.server", "ssh.hassh.server.string",
        "smb.named_pipe", "smb.share", "smb.ntlmssp_user", "smb.ntlmssp_domain", "smb.version",
        "dce_iface", "dce_opnum", "dce_stub_data", "dcerpc.iface", "dcerpc.opnum", "dcerpc.stub_data",
        "ftpbounce", "ftpdata_command", "ftp.command", "ftp.command_data", "ftp.dynamic_port", "ftp.mode", "ftp.reply",
        "ftp.completion_code", "ftp.reply_received",
        "smtp.helo", "smtp.mail_from", "smtp.rcpt_to", "email.from", "email.subject", "email.to", "email.cc",
        "email.date", "email.message_id", "email.x_mailer", "email.url", "email.received",
        "krb5_msg_type", "krb5_cname", "krb5_sname", "krb5_err_code", "krb5.weak_encryption", "krb5.ticket_encryption",
        "snmp.version", "snmp.community", "snmp.pdu_type", "snmp.usm", "sip.method", "sip.uri", "sip.protocol",
        "sip.stat_code", "sip.stat_msg", "sip.request_line", "sip.response_line", "quic.version", "quic.sni", "quic.ua",
        "quic.cyu.hash", "quic.cyu.string", "mqtt.type", "mqtt.flags", "mqtt.qos", "mqtt.protocol_version",
        "mqtt.connect.clientid", "mqtt.connect.username", "mqtt.connect.password", "mqtt.connect.willtopic",
        "mqtt.connect.willmessage", "mqtt.publish.topic", "mqtt.publish.message", "mqtt.subscribe.topic",
        "rfb.name", "rfb.secresult", "rfb.sectype", "modbus", "dnp3_func", "dnp3_ind", "dnp3_obj", "dnp3_data",
        "enip_command", "cip_service", "ike.init_spi", "ike.resp_spi", "ike.chosen_sa_attribute", "ike.exchtype",
        "ike.vendor", "ike.key_exchange_payload", "ike.nonce_payload", "ike.key_exchange_payload_length",
        "ike.nonce_payload_length", "ntp", "dhcp.leasetime", "nfs_procedure", "nfs.version", "tftp.file",
        "ldap.request.operation", "ldap.responses.operation", "ldap.responses.count", "ldap.request.dn",
        "ldap.responses.dn", "ldap.responses.result_code", "ldap.responses.message", "websocket.payload",
        "websocket.flags", "websocket.mask", "websocket.opcode", "js_data", "vba_data", "gtp_type", "gtp_info",
        "gtp_version", "sip_method", "sip_stat_code", "sip_header", "sip_body", "sd_pattern", "appid",
        "ber_data", "ber_skip", "raw_data", "bufferlen", "pkt_num", "so", "soid", "rem", "file_id",
        "regex", "iec104_apci_type", "iec104_asdu_func", "s7commplus", "mms_func", "mms_data",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string keyword) => Known.Contains(keyword);
}
