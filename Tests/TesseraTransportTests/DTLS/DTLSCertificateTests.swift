import COpenSSL
import Testing
import TesseraTransport

@Suite("DTLSCertificate")
struct DTLSCertificateTests {
    @Test func fingerprintIsSHA256OfTheDERInSDPForm() throws {
        let certificate = try DTLSCertificate()
        let fingerprint = certificate.fingerprint
        #expect(fingerprint.algorithm == .sha256)
        #expect(fingerprint.bytes.count == 32)

        let hex = fingerprint.hexString
        #expect(hex.count == 95)
        #expect(hex.filter { $0 == ":" }.count == 31)
        for pair in hex.split(separator: ":", omittingEmptySubsequences: false) {
            #expect(pair.count == 2)
            #expect(pair.allSatisfy { "0123456789ABCDEF".contains($0) })
        }
        #expect(fingerprint.sdpValue == "sha-256 \(hex)")
        #expect(fingerprint == (try DTLSFingerprint(algorithm: .sha256, certificateDER: certificate.derBytes)))
        #expect(try DTLSFingerprint(sdpValue: fingerprint.sdpValue) == fingerprint)
    }

    @Test func twoCertificatesDiffer() throws {
        let first = try DTLSCertificate()
        let second = try DTLSCertificate()
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.derBytes != second.derBytes)
    }

    @Test func isSelfSignedECDSAP256ForTessera() throws {
        let certificate = try DTLSCertificate()
        let x509 = try #require(certificate.derBytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        })
        defer { X509_free(x509) }

        let key = try #require(X509_get0_pubkey(x509))
        #expect(EVP_PKEY_is_a(key, "EC") == 1)
        #expect(EVP_PKEY_get_bits(key) == 256)
        #expect(X509_verify(x509, key) == 1)
        #expect(X509_get_signature_nid(x509) == NID_ecdsa_with_SHA256)
        #expect(X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) == 0)

        var cn = [CChar](repeating: 0, count: 64)
        let length = X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_commonName, &cn, Int32(cn.count))
        #expect(length == 7)
        #expect(String(decoding: cn.prefix(7).map { UInt8(bitPattern: $0) }, as: UTF8.self) == "tessera")

        // Valid now, for 30 days from now.
        #expect(X509_cmp_current_time(X509_get0_notBefore(x509)) < 0)
        var days: Int32 = 0
        var seconds: Int32 = 0
        #expect(ASN1_TIME_diff(&days, &seconds, nil, X509_get0_notAfter(x509)) == 1)
        #expect(days == 29 || (days == 30 && seconds == 0))

        // A random serial of (almost always) 16 bytes, never zero.
        let serial = try #require(X509_get0_serialNumber(x509))
        #expect(serial.pointee.length >= 14)
    }

    @Test func serialsAreRandom() throws {
        func serial(_ certificate: DTLSCertificate) throws -> [UInt8] {
            let x509 = try #require(certificate.derBytes.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_X509(nil, &cursor, buffer.count)
            })
            defer { X509_free(x509) }
            let serial = try #require(X509_get0_serialNumber(x509))
            return Array(UnsafeBufferPointer(start: serial.pointee.data, count: Int(serial.pointee.length)))
        }
        #expect(try serial(DTLSCertificate()) != serial(DTLSCertificate()))
    }
}
