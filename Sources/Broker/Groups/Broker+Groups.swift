import KafkaProtocol
import NIOCore

extension Broker {
    /// The consumer-group APIs, served by the group coordinator.
    func handleGroupRequest(_ api: ApiKey, body: ByteBuffer, _ ctx: RequestContext) throws {
        throw RequestError(description: "\(api) is not served yet: the group coordinator is not built")
    }
}
