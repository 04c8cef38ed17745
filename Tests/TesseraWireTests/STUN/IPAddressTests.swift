import Testing
@testable import TesseraWire

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("2001:db8:1234:5678:11:2233:4455:6677", "2001:db8:1234:5678:11:2233:4455:6677"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("fe80::", "fe80::"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("::ffff:192.0.2.128", "::ffff:c000:280"),
    ])
    func canonicalText(input: String, expected: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == expected)
        #expect(IPAddress(expected) == address)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "+1.2.3.4", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9",
                      "12345::", "g::1", "1:2:3:4:5:6:7", "::1.2.3", "fe80::1%eth0", "example.local", ":1", "1:"])
    func rejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func bytes() throws {
        #expect(try #require(IPAddress("192.0.2.1")).bytes == [192, 0, 2, 1])
        #expect(try #require(IPAddress("2001:db8::1")).bytes == [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1])
    }
}
