import Synchronization

/// Client id → session, across all loops. Touched on connect and session end only.
final class SessionRegistry: Sendable {
    private let sessions = Mutex<[String: SessionHandle]>([:])

    /// What CONNECT gets: the session to attach to, whether it existed, and a session it replaces.
    struct Claim {
        let handle: SessionHandle
        let resumed: Bool
        let replaced: SessionHandle?
    }

    /// Resumes the client's session when `cleanStart` is false and one exists; otherwise installs a new
    /// one made by `makeHandle`, returning the one it replaces so the caller can end it.
    func claim(clientID: String, cleanStart: Bool, makeHandle: () -> SessionHandle) -> Claim {
        sessions.withLock { sessions in
            if !cleanStart, let existing = sessions[clientID] {
                return Claim(handle: existing, resumed: true, replaced: nil)
            }
            let handle = makeHandle()
            let replaced = sessions.updateValue(handle, forKey: clientID)
            return Claim(handle: handle, resumed: false, replaced: replaced)
        }
    }

    /// Forgets `handle`, unless its client id already belongs to a newer session.
    func remove(_ handle: SessionHandle) {
        sessions.withLock { sessions in
            if sessions[handle.clientID] === handle {
                sessions[handle.clientID] = nil
            }
        }
    }

    func lookup(_ clientID: String) -> SessionHandle? {
        sessions.withLock { $0[clientID] }
    }

    var count: Int { sessions.withLock { $0.count } }

    func all() -> [SessionHandle] {
        sessions.withLock { Array($0.values) }
    }
}
