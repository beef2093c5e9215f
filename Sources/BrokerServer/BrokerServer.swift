import Broker
import Logging
import NIOCore
import NIOPosix

/// The broker's network shell: a listening socket per listener, Kafka framing, and a
/// connection handler that feeds requests to the sans-IO `Broker`.
public final class BrokerServer {
    public let broker: Broker
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private var channels: [Channel] = []
    private var housekeeping: RepeatedTask?
    private var cleaner: RepeatedTask?

    public init(broker: Broker, threads: Int = System.coreCount, logger: Logger) {
        self.broker = broker
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.logger = logger
    }

    /// Binds every listener; returns the bound addresses (port 0 picks a free port).
    @discardableResult
    public func start() throws -> [SocketAddress] {
        let maxFrame = broker.config.requestFrameBytesMax
        let broker = self.broker
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrame)))
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(broker: broker, logger: logger))
                }
            }
        var addresses: [SocketAddress] = []
        for listener in try broker.config.listeners {
            let channel = try bootstrap.bind(host: listener.host, port: listener.port).wait()
            channels.append(channel)
            if let address = channel.localAddress { addresses.append(address) }
            logger.info("listening on \(listener.name)://\(listener.host):\(channel.localAddress?.port ?? listener.port)")
        }
        let interval = broker.config.retentionCheckIntervalMs
        // Retention deletes files: keep it off the event loops.
        housekeeping = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(min(interval, 1000)), delay: .milliseconds(interval)) { _ in
            DispatchWorker.run { broker.enforceRetention() }
        }
        if broker.config.logCleanerEnable {
            let backoff = broker.config.logCleanerBackoffMs
            cleaner = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(backoff), delay: .milliseconds(backoff)) { _ in
                DispatchWorker.run { broker.cleanCompactedLogs() }
            }
        }
        if let flushMs = broker.config.flushIntervalMs {
            _ = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(flushMs), delay: .milliseconds(flushMs)) { _ in
                DispatchWorker.run { broker.flushAll() }
            }
        }
        return addresses
    }

    /// Blocks until the listeners close.
    public func wait() throws {
        for channel in channels { try channel.closeFuture.wait() }
    }

    public func stop() throws {
        housekeeping?.cancel()
        cleaner?.cancel()
        for channel in channels { try? channel.close().wait() }
        broker.shutdown()
        try group.syncShutdownGracefully()
    }
}
