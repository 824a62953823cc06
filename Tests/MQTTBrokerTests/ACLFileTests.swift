import MQTTBroker
import Testing

/// Mosquitto's `acl_file` format: who may read and write what, and bad lines named by file:line.
@Suite struct ACLFileTests {
    static let text = """
        # anonymous clients
        topic read public/#

        user alice
        topic readwrite sensors/#
        topic deny sensors/secret/#
        topic write cmd/alice

        user bob
        topic sensors/bob/#

        pattern write devices/%c/status
        pattern read users/%u/#
        """

    @Test func topicLinesBeforeAnyUserAreForAnonymousClients() throws {
        let acl = try ACLFileParser.parse(Self.text, file: "acl")
        let anonymous = acl.permissions(username: nil, clientID: "anon-1")
        #expect(anonymous.maySubscribe("public/#"))
        #expect(anonymous.maySubscribe("public/news"))
        #expect(!anonymous.mayPublish("public/news"), "read only")
        #expect(!anonymous.maySubscribe("sensors/#"), "nothing matching means no access")
        #expect(anonymous.mayPublish("devices/anon-1/status"))
        #expect(!anonymous.maySubscribe("users/x/#"), "%u needs a username")
    }

    @Test func usersGetTheirLinesAndEveryPattern() throws {
        let acl = try ACLFileParser.parse(Self.text, file: "acl")
        let alice = acl.permissions(username: "alice", clientID: "a1")
        #expect(alice.maySubscribe("sensors/#"))
        #expect(alice.mayPublish("sensors/kitchen"))
        #expect(!alice.maySubscribe("sensors/secret/#"), "deny wins")
        #expect(!alice.mayPublish("sensors/secret/key"))
        #expect(alice.checksDeliveries, "sensors/# covers the denied topics: deliveries are checked")
        #expect(!alice.mayReceive("sensors/secret/key"))
        #expect(alice.mayReceive("sensors/kitchen"))
        #expect(alice.mayPublish("cmd/alice"))
        #expect(!alice.maySubscribe("cmd/alice"))
        #expect(!alice.maySubscribe("public/#"), "the anonymous lines are not alice's")
        #expect(alice.mayPublish("devices/a1/status"))
        #expect(!alice.mayPublish("devices/other/status"))
        #expect(alice.maySubscribe("users/alice/inbox"))
        let bob = acl.permissions(username: "bob", clientID: "b1")
        #expect(bob.mayPublish("sensors/bob/x") && bob.maySubscribe("sensors/bob/#"), "no access word is readwrite")
        #expect(bob.checksDeliveries, "the file denies what it does not name")
    }

    /// A subscription needs a rule covering every topic it matches: `+` in a rule does not cover `#`.
    @Test func aRuleMustCoverTheWholeSubscription() throws {
        let acl = try ACLFileParser.parse("topic read devices/+\ntopic read all/#\ntopic read $SYS/broker/#\n", file: "acl")
        let anonymous = acl.permissions(username: nil, clientID: "c")
        #expect(anonymous.maySubscribe("devices/x"))
        #expect(anonymous.maySubscribe("devices/+"))
        #expect(!anonymous.maySubscribe("devices/#"))
        #expect(!anonymous.maySubscribe("devices/x/y"))
        #expect(anonymous.maySubscribe("all/#") && anonymous.maySubscribe("all") && anonymous.maySubscribe("all/+/z"))
        #expect(!anonymous.maySubscribe("#"))
        #expect(anonymous.maySubscribe("$SYS/broker/load/#"))
        #expect(anonymous.checksDeliveries, "an ACL file denies what it does not name: deliveries are checked")
        #expect(!anonymous.mayReceive("devices/x/secret"))
    }

    @Test func aClientIDThatWouldWidenAPatternMatchesNothing() throws {
        let acl = try ACLFileParser.parse(Self.text, file: "acl")
        #expect(!acl.permissions(username: nil, clientID: "#").mayPublish("devices/x/status"))
        #expect(!acl.permissions(username: "a/b", clientID: "c").maySubscribe("users/a/b/x"))
    }

    @Test func composedWithAnotherLayerBothMustAllow() throws {
        let acl = try ACLFileParser.parse(Self.text, file: "acl")
        let redis = ClientPermissions(rules: [ACLRule(filter: "sensors/kitchen", access: .publish)],
                                      allowWhenNoRuleMatches: false)
        let both = redis.requiring(acl.permissions(username: "alice", clientID: "a1"))
        #expect(both.mayPublish("sensors/kitchen"))
        #expect(!both.mayPublish("sensors/garage"), "the Redis ACL refuses it")
        #expect(!both.mayPublish("cmd/x"))
    }

    @Test(arguments: [
        ("user alice\ntopic\n", 2, "needs a topic filter"),
        ("topic read a/#/b\n", 1, "not a valid topic filter"),
        ("# comment\n\nsubscribe a/b\n", 3, "unknown directive \"subscribe\""),
        ("user\n", 1, "needs a username"),
        ("topic read ok\r\npattern deny\r\n", 2, "needs a topic filter"),
        ("pattern read a/%c/#/x\n", 1, "not a valid topic filter"),
    ])
    func aBadLineIsNamedByFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            _ = try ACLFileParser.parse(text, file: "/etc/mqtop/acl")
        } throws: { error in
            guard let error = error as? ACLFileError else { return false }
            return error.line == line && "\(error)".hasPrefix("/etc/mqtop/acl:\(line): ") && error.reason.contains(reason)
        }
    }
}
