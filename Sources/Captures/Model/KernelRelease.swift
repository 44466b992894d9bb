/// The kernel a capture was taken on, from `uname.txt`.
///
/// The release is the string `uname -r` prints (`6.1.0-56-amd64`, `6.12.117+deb12-amd64`); the
/// major and minor numbers are its leading `MAJOR.MINOR`, which is all the simulation's kernel
/// profiles distinguish. Debian's package version later on the `uname -a` line (`6.1.192-2`) is
/// not used: the release already names the series.
public struct KernelRelease: Hashable, Sendable, CustomStringConvertible {
    /// The release as `uname -r` prints it, e.g. `6.1.0-56-amd64`.
    public var release: String
    /// The major version, e.g. 6.
    public var major: Int
    /// The minor version, e.g. 1 or 12.
    public var minor: Int

    /// A release with its numbers.
    ///
    /// - Parameters:
    ///   - release: The `uname -r` string.
    ///   - major: Its major version.
    ///   - minor: Its minor version.
    public init(release: String, major: Int, minor: Int) {
        self.release = release
        self.major = major
        self.minor = minor
    }

    /// `MAJOR.MINOR`, e.g. `6.12`.
    public var series: String { "\(major).\(minor)" }

    /// The release string.
    public var description: String { release }
}
