/// One CPU's ring-buffer data in the file: where it is and how long (compressed length in a
/// compressed version 7 file).
struct CPUData: Sendable, Equatable {
    let cpu: Int
    let offset: Int
    let size: Int
}
