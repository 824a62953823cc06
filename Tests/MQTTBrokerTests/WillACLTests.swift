import MQTTBroker
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// A will is a publish like any other: a client may not publish by dying what its ACL refuses it alive.
@Suite struct WillACLTests {
    @Test func aWillToATopicTheClientMayNotWriteIsNotPublished() async throws {
        let acl = try ACLFileParser.parse("topic read wills/#\ntopic write marker\ntopic read marker\n", file: "acl")
        let fixture = try await BrokerFixture.start(authenticator: ACLFileAuthenticator(acl: acl, inner: nil))
        let watcher = try await fixture.client("watcher")
        _ = try await watcher.subscribe([SubscriptionRequest(filter: "wills/#", qos: .atLeastOnce),
                                         SubscriptionRequest(filter: "marker", qos: .atLeastOnce)])
        let dying = try await fixture.client("dying") { options in
            options.will = WillMessage(topic: "wills/dying", payload: .init(string: "gone"), qos: .atLeastOnce)
        }
        await dying.close()
        // The session ended (its will handled) before the marker is sent.
        try await waitUntil("the dying session ended") { !fixture.broker.sessionState(clientID: "dying").exists }
        let marker = try await fixture.client("marker")
        try await marker.publish("marker", "after", qos: .atLeastOnce)
        #expect(try await watcher.messages.next(1).map(\.payloadString) == ["after"])
        await fixture.stop()
    }
}
