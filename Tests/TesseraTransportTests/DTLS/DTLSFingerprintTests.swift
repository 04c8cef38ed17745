import Testing
import TesseraTransport

@Suite("DTLSFingerprint")
struct DTLSFingerprintTests {
    /// `count` colon-separated hex pairs counting up from 0x00 (upper case) or 0xA0 (lower case).
    static func hex(_ count: Int, lowercase: Bool = false) -> String {
        let pairs = (0..<count).map { index in
            let byte = UInt8(truncatingIfNeeded: (lowercase ? 0xA0 : 0) + index)
            let text = String(byte, radix: 16, uppercase: !lowercase)
            return text.count == 1 ? "0" + text : text
        }
        return pairs.joined(separator: ":")
    }

    static let valid: [(String, DTLSFingerprint.Algorithm)] = [
        ("sha-256 \(hex(32))", .sha256),
        ("SHA-256 \(hex(32))", .sha256),
        ("sha-256 \(hex(32, lowercase: true))", .sha256),
        ("  sha-256\t\(hex(32)) ", .sha256),
        ("sha-1 \(hex(20))", .sha1),
        ("sha-224 \(hex(28))", .sha224),
        ("sha-384 \(hex(48))", .sha384),
        ("sha-512 \(hex(64))", .sha512),
    ]

    @Test(arguments: valid)
    func parsesValidSDPValues(value: String, algorithm: DTLSFingerprint.Algorithm) throws {
        let fingerprint = try DTLSFingerprint(sdpValue: value)
        #expect(fingerprint.algorithm == algorithm)
        #expect(fingerprint.bytes.count == algorithm.digestLength)
        #expect(fingerprint.bytes.first == (value.contains("a0") ? 0xA0 : 0x00))
        #expect(fingerprint.bytes.last == fingerprint.bytes.first! + UInt8(algorithm.digestLength - 1))
        // Serializes back to the canonical form: lower-case name, upper-case hex.
        #expect(fingerprint.sdpValue == "\(algorithm.rawValue) \(fingerprint.hexString)")
        #expect(try DTLSFingerprint(sdpValue: fingerprint.sdpValue) == fingerprint)
    }

    static let invalid: [String] = [
        "",
        "sha-256",
        "sha-256 ",
        hex(32),
        "sha-256:\(hex(32))",
        "md5 \(hex(16))",
        "sha-257 \(hex(32))",
        "sha-256 \(hex(31))",
        "sha-256 \(hex(33))",
        "sha-256 \(hex(20))",
        "sha-256 \(hex(32)):",
        "sha-256 :\(hex(32))",
        "sha-256 \(hex(32).replacing("00:01", with: "0001"))",
        "sha-256 \(hex(32).replacing("1F", with: "1G"))",
        "sha-256 \(hex(32).replacing("1F", with: "F"))",
        "sha-256 \(hex(32).replacing("1F", with: "1F0"))",
        "sha-256 \(hex(32).replacing(":", with: "-"))",
        "sha-256 \(hex(32)) extra",
        "sha-256 \(hex(32).replacing("1F", with: "１F"))",
    ]

    @Test(arguments: invalid)
    func rejectsInvalidSDPValues(value: String) {
        #expect {
            try DTLSFingerprint(sdpValue: value)
        } throws: { error in
            (error as? DTLSError)?.kind == .invalidFingerprint
        }
    }

    @Test func rejectsDigestOfWrongLength() {
        #expect(throws: DTLSError.self) { try DTLSFingerprint(algorithm: .sha256, bytes: [UInt8](repeating: 0, count: 20)) }
    }

    @Test func equalityComparesAlgorithmAndEveryByte() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let a = try DTLSFingerprint(algorithm: .sha256, bytes: bytes)
        #expect(a == (try DTLSFingerprint(algorithm: .sha256, bytes: bytes)))
        for index in [0, 15, 31] {
            var other = bytes
            other[index] ^= 0x01
            #expect(a != (try DTLSFingerprint(algorithm: .sha256, bytes: other)))
        }
        let sha224 = try DTLSFingerprint(algorithm: .sha224, bytes: Array(bytes.prefix(28)))
        #expect(a != sha224)
    }

    /// FIPS 180-2 "abc" vectors, through the same digest path used for certificates.
    @Test func digestsMatchKnownVectors() throws {
        let abc = Array("abc".utf8)
        #expect(
            try DTLSFingerprint(algorithm: .sha256, certificateDER: abc).hexString
                == "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD")
        #expect(
            try DTLSFingerprint(algorithm: .sha1, certificateDER: abc).hexString
                == "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D")
    }

    @Test(arguments: DTLSFingerprint.Algorithm.allCases)
    func computesEveryAlgorithmOverCertificateDER(algorithm: DTLSFingerprint.Algorithm) throws {
        let certificate = try DTLSCertificate()
        let fingerprint = try DTLSFingerprint(algorithm: algorithm, certificateDER: certificate.derBytes)
        #expect(fingerprint.bytes.count == algorithm.digestLength)
        #expect(try DTLSFingerprint(sdpValue: fingerprint.sdpValue) == fingerprint)
        if algorithm == .sha256 { #expect(fingerprint == certificate.fingerprint) }
    }
}
