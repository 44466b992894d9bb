import CZlib
import CZstd

extension DatFixture {
    enum Compression { case none, zstd, zlib }

    /// A page: timestamp, commit word (with the missed-events flags), the items, the stored count.
    static func encode(_ page: Page) -> [UInt8] {
        var data: [UInt8] = []
        func header(_ type: UInt32, _ delta: UInt32) { data += le(UInt64(type | delta << 5), 4) }
        for item in page.items {
            switch item {
            case .event(let delta, let record):
                let body = pad4(record)
                precondition(body.count <= 28 * 4)
                header(UInt32(body.count / 4), delta)
                data += body
            case .longEvent(let delta, let record):
                let body = pad4(record)
                header(0, delta)
                data += le(UInt64(body.count + 4), 4) + body
            case .extend(let delta):
                header(30, UInt32(delta & 0x7ff_ffff))
                data += le(delta >> 27, 4)
            case .absolute(let t):
                header(31, UInt32(t & 0x7ff_ffff))
                data += le(t >> 27, 4)
            case .padding(let delta, let length):
                header(29, delta)
                data += le(UInt64(length), 4) + [UInt8](repeating: 0xee, count: length - 4)
            case .endPadding:
                header(29, 0)
            }
        }
        var commit = UInt64(data.count)
        switch page.missed {
        case .none: break
        case .unknown: commit |= 1 << 31
        case .stored(let n):
            commit |= 1 << 31 | 1 << 30
            data += le(n, 8)
        }
        let bytes = le(page.timestamp, 8) + le(commit, 8) + data
        return bytes + [UInt8](repeating: 0, count: pageSize - bytes.count)
    }

    /// The header_page/header_event block, the format files, kallsyms, printk and cmdlines, as
    /// both versions lay them out (version 6 in a row, version 7 as the sections' payloads).
    func headerInfo() -> [UInt8] {
        let page = Array(DatFixture.headerPage.utf8), event = Array(DatFixture.headerEvent.utf8)
        return Array("header_page".utf8) + [0] + DatFixture.le(UInt64(page.count), 8) + page
            + Array("header_event".utf8) + [0] + DatFixture.le(UInt64(event.count), 8) + event
    }

    func eventSystems() -> [UInt8] {
        var out = DatFixture.le(UInt64(DatFixture.systems.count), 4)
        for (system, formats) in DatFixture.systems {
            out += Array(system.utf8) + [0] + DatFixture.le(UInt64(formats.count), 4)
            for f in formats { out += DatFixture.le(UInt64(f.utf8.count), 8) + Array(f.utf8) }
        }
        return out
    }

    var kallsymsBlock: [UInt8] { DatFixture.le(UInt64(kallsyms.utf8.count), 4) + Array(kallsyms.utf8) }
    var cmdlinesBlock: [UInt8] { DatFixture.le(UInt64(cmdlines.utf8.count), 8) + Array(cmdlines.utf8) }

    static func magic(_ version: String) -> [UInt8] {
        [0x17, 0x08, 0x44] + Array("tracing".utf8) + Array(version.utf8) + [0, 0, 8] + le(UInt64(pageSize), 4)
    }

    static func align(_ out: inout [UInt8]) {
        out += [UInt8](repeating: 0, count: (pageSize - out.count % pageSize) % pageSize)
    }

    static func option(_ id: UInt16, _ data: [UInt8]) -> [UInt8] { le(UInt64(id), 2) + le(UInt64(data.count), 4) + data }

    /// A version 6 file.
    func version6() -> [UInt8] {
        var out = DatFixture.magic("6") + headerInfo() + DatFixture.le(0, 4) + eventSystems() + kallsymsBlock
            + DatFixture.le(0, 4) + cmdlinesBlock + DatFixture.le(UInt64(cpus.count), 4)
        out += Array("options  ".utf8) + [0]
        out += DatFixture.option(5, Array(uname.utf8) + [0]) + DatFixture.option(4, Array("local [\(clock)] counter".utf8) + [0])
        out += DatFixture.le(0, 2) + Array("flyrecord".utf8) + [0]
        let tableAt = out.count
        out += [UInt8](repeating: 0, count: 16 * cpus.count)
        DatFixture.align(&out)
        for (i, pages) in cpus.enumerated() {
            let data = pages.flatMap(DatFixture.encode)
            let entry = DatFixture.le(UInt64(out.count), 8) + DatFixture.le(UInt64(data.count), 8)
            out.replaceSubrange((tableAt + 16 * i)..<(tableAt + 16 * i + 16), with: entry)
            out += data
        }
        return out
    }
}
