import Logging
import RedisClient

/// Keeps the SUB/UNSUB channel subscribed whether or not Redis is up yet: the first attempt is awaited at
/// start, later ones run in the background until one succeeds (the subscriber then renews it after every
/// reconnect by itself).
///
/// On a Redis Cluster both kinds are heard: a business server's plain `PUBLISH` (classic pub/sub is
/// broadcast over the cluster bus, as the seed document's example uses it) and `SPUBLISH` (sharded, Redis
/// 7). A server without `SSUBSCRIBE` gets a warning and the plain channel alone.
struct ChannelSubscription: Sendable {
    let subscriber: RedisSubscriber
    let channel: String
    let sharded: Bool
    let logger: Logger

    private enum Outcome {
        case done
        case retry
    }

    /// Subscribes; if Redis cannot be reached yet, returns the task that keeps trying.
    func start() async -> Task<Void, Never>? {
        var plainDone = await attempt(plain: true) == .done
        var shardDone = true
        if sharded { shardDone = await attempt(plain: false) == .done }
        guard !plainDone || !shardDone else { return nil }
        return Task {
            await RedisConfiguration.Backoff().retry(waitingFirst: true) { _ in
                if !plainDone { plainDone = await self.attempt(plain: true) == .done }
                if !shardDone { shardDone = await self.attempt(plain: false) == .done }
                return plainDone && shardDone
            }
        }
    }

    private func attempt(plain: Bool) async -> Outcome {
        let command = plain ? "SUBSCRIBE" : "SSUBSCRIBE"
        do {
            if plain {
                try await subscriber.subscribe([channel])
            } else {
                try await subscriber.ssubscribe([channel])
            }
            logger.debug("\(command) \(channel) done")
            return .done
        } catch let error as RedisError where error.kind == .serverError {
            if !plain, error.message.lowercased().contains("unknown command") {
                logger.warning("this Redis has no SSUBSCRIBE (before 7.0): the channel \(channel) hears PUBLISH only, not SPUBLISH")
            } else {
                logger.error("\(command) \(channel) refused: \(error); SUB/UNSUB events on it are not applied")
            }
            return .done
        } catch {
            logger.debug("\(command) \(channel) not possible yet: \(error)")
            return .retry
        }
    }
}
