import Logging
import MQTTBroker
import ServiceLifecycle

/// The broker as a service: started by the service group, stopped gracefully on SIGINT/SIGTERM.
struct BrokerService: Service {
    let broker: Broker
    let logger: Logger

    func run() async throws {
        try await broker.start()
        // Wait for the shutdown signal; cancellation ends the wait too.
        try? await gracefulShutdown()
        logger.info("shutting down: disconnecting clients")
        await broker.shutdown()
        logger.info("stopped")
    }
}
