/// Where an allocation was made, as ftrace's `call_site=%pS` prints it (`kvec_push+0x1a/0x40`):
/// an index into the machine's interned site names, so events stay small.
public struct CallSite: RawRepresentable, Hashable, Sendable {
    /// Index into `Machine.callSiteNames`.
    public var rawValue: UInt32
    /// Wraps an index.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The site of operations that name none.
    @inlinable public static var unknown: CallSite { CallSite(rawValue: 0) }
}

extension Machine {
    /// The name of a call site.
    public func name(of site: CallSite) -> String {
        Int(site.rawValue) < callSiteNames.count ? callSiteNames[Int(site.rawValue)] : "?"
    }

    /// Distinct call-site names a machine keeps (a real kernel has a few tens of thousands).
    public static let maxCallSites = 1 << 18
    /// The name the call sites past ``maxCallSites`` share.
    public static let moreCallSites = "(more call sites)"

    /// Interns a call-site name and returns its id (the same name always gets the same id; past
    /// ``maxCallSites`` distinct names, every new one gets the id of ``moreCallSites``).
    public mutating func callSite(_ name: String) -> CallSite {
        if let id = callSiteIndex[name] { return id }
        // A trace of endless distinct call sites keeps memory bounded: past the limit they share one
        // name, which takes the last place (so the lookup above finds it from then on).
        if callSiteNames.count >= Machine.maxCallSites - 1 && name != Machine.moreCallSites {
            return callSite(Machine.moreCallSites)
        }
        let id = CallSite(rawValue: UInt32(callSiteNames.count))
        callSiteNames.append(name)
        callSiteIndex[name] = id
        return id
    }
}
