/// Every bound Tributary places on input from the network or from files, in one place.
public enum Limits {
    /// The largest request frame a broker accepts (Kafka's socket.request.max.bytes default).
    public static let requestFrameBytesMax = 100 * 1024 * 1024
    /// The largest record batch a partition accepts unless a topic says otherwise (message.max.bytes).
    public static let messageBytesMaxDefault = 1024 * 1024 + 12
    /// The most partitions one topic may have.
    public static let partitionsPerTopicMax = 10_000
}
