namespace Ribat.Forensics.Tests.Email;

/// <summary>A phishing message touching every feature, reused by the fuzz test.</summary>
internal static class Fixtures
{
    public static readonly string Phish = Mail.Message("""
        Received: from mx.corp.example (mx.corp.example [10.0.0.5]) by mail.corp.example with LMTP; Mon, 1 Jun 2026 10:00:09 +0000
        Received: from mail.evil.test (mail.evil.test [203.0.113.9]) by mx.corp.example (Postfix) with ESMTPS id ABC for <bob@corp.example>; Mon, 1 Jun 2026 10:00:05 +0000
        Received: from [192.168.1.20] (helo=laptop) by mail.evil.test with ESMTPSA; Mon, 1 Jun 2026 09:59:58 +0000
        Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=paypa1.com
        DKIM-Signature: v=1; a=rsa-sha256; d=paypa1.com; s=k1; h=from:subject; bh=AAAA; b=BBBB
        From: "PayPal Service" <service@paypa1.com>
        Reply-To: harvest@evil.test
        To: bob@corp.example
        Subject: =?utf-8?Q?Your_account_is_on_hold?=
        Date: Mon, 1 Jun 2026 09:59:50 +0000
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"
        """, """
        --outer
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=utf-8

        Verify at hxxps://paypal-secure-login[.]com/verify now.
        --alt
        Content-Type: text/html; charset=utf-8

        <p>Verify at <a href="https://xn--pypal-4ve.com/login">https://www.paypal.com/signin</a></p>
        --alt--
        --outer
        Content-Type: application/zip; name="statement.zip"
        Content-Disposition: attachment; filename="statement.zip"
        Content-Transfer-Encoding: base64

        UEsDBBQAAAAIAJi2dl3PtgUnLgAAAGcAAAARAAAAc3RhdGVtZW50LnBkZi5leGXzjWKgCIRkZBYrFBTlpxcl5iokJ+bl5ZcoJKUqFJXmKWTmKbj4Byvk5qek6gEAUEsBAhQDFAAAAAgAmLZ2Xc+2BScuAAAAZwAAABEAAAAAAAAAAAAAAIABAAAAAHN0YXRlbWVudC5wZGYuZXhlUEsFBgAAAAABAAEAPwAAAF0AAAAAAA==
        --outer--
        """);
}
