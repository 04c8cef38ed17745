/// One `name=value` (or bare `value`) item of an fmtp line.
public struct SDPFormatParameter: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    var text: String { value.map { "\(name)=\($0)" } ?? name }
}

/// `a=fmtp:<format> <parameters>` (RFC 8866 §6.15), with the parameters split on `;` as
/// RTP payload formats define them (e.g. RFC 7587 §7, RFC 6184 §8.1).
public struct SDPFormatParameters: Sendable, Hashable {
    public var payloadType: UInt8
    public var parameters: [SDPFormatParameter]

    public init(payloadType: UInt8, parameters: [SDPFormatParameter]) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    init(parsing value: Substring) throws(WireError) {
        let (type, rest) = SDPText.splitFirstSpace(value)
        var parameters: [SDPFormatParameter] = []
        for item in SDPText.split(rest ?? "", ";", omittingEmpty: true) {
            let trimmed = SDPText.trimmed(item)
            guard !trimmed.isEmpty else { continue }
            let (name, value) = SDPText.splitFirst(trimmed, "=")
            guard !name.isEmpty else { throw WireError(.malformed, "fmtp: empty parameter name") }
            parameters.append(SDPFormatParameter(String(name), value.map(String.init)))
        }
        self.init(payloadType: try SDPPayloadType.parse(type, "fmtp"), parameters: parameters)
    }

    /// The value of the first parameter named `name` (case-insensitive, RFC 6184 §8.1 names
    /// are case-insensitive).
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name.lowercased() == wanted }?.value
    }

    var value: String {
        parameters.isEmpty ? "\(payloadType)" : "\(payloadType) " + parameters.map(\.text).joined(separator: ";")
    }
}
