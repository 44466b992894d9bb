import Captures
import HeapModel
import Reconstruction
import Testing

/// Which profile a capture's uname gets.
@Suite("Kernel profile from uname")
struct KernelProfileTests {
    @Test("A kernel memtop has a profile of gets it; a newer unknown one the nearest older; 4.x and 5.x get 6.1, said so")
    func nearest() {
        func profile(_ release: String, _ major: Int, _ minor: Int) -> (KernelVersion, String) {
            CapturedMachine.profile(KernelRelease(release: release, major: major, minor: minor), override: nil)
        }
        #expect(profile("6.12.117-amd64", 6, 12).0 == .v6_12)
        #expect(profile("6.6.30", 6, 6) == (.v6_1, "uname: 6.6.30 (no 6.6 profile; nearest older: 6.1)"))
        #expect(profile("5.10.0-30-amd64", 5, 10) == (.v6_1, "uname: 5.10.0-30-amd64 (no 5.10 profile, none older; nearest: 6.1)"))
        #expect(profile("4.19.0-27-amd64", 4, 19).0 == .v6_1)
        #expect(CapturedMachine.profile(nil, override: .v6_18).0 == .v6_18)
    }
}
