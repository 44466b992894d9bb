import CZlib
import CZstd

/// Small trace.dat files made byte by byte, after trace-cmd.dat.v6(5) and .v7(5), for tests that
/// need a page layout the shared captures do not have (time extends, absolute timestamps, padding,
/// missed events, ties between CPUs, zlib).
struct DatFixture {
    enum Missed { case none, unknown, stored(UInt64) }

    /// One item of a ring-buffer page.
    enum Item {
        case event(delta: UInt32, record: [UInt8])
        /// The same as a type-0 event (length in array[0]).
        case longEvent(delta: UInt32, record: [UInt8])
        case extend(UInt64)
        case absolute(UInt64)
        case padding(delta: UInt32, length: Int)
        /// Padding with no delta: the rest of the page.
        case endPadding
    }

    struct Page {
        var timestamp: UInt64
        var items: [Item]
        var missed = Missed.none
    }

    var cpus: [[Page]]
    var uname = "Linux (none) 6.1.0-56-amd64 x86_64"
    var clock = "global"
    var cmdlines = "1 init\n42 vmstress\n"
    var kallsyms = """
        0000000000000000 A fixed_percpu_data
        ffffffff81000000 T _stext
        ffffffff81001000 T kmalloc_caller
        ffffffff81001100 t other_func
        ffffffff81001100 t other_alias
        ffffffff81001200 T __vmalloc_node_range
        ffffffff81002000 T copy_process
        ffffffff81003000 B _end
        ffffffffc0001000 t mod_func\t[mymod]
        ffffffffc0001080 t mod_other\t[mymod]
        ffffffffc0002000 d mod_data\t[mymod]

        """
    static let pageSize = 4096

    // MARK: records

    /// The common fields (type, flags, preempt count, pid) and then `fields`.
    static func record(_ id: UInt16, pid: Int32, flags: UInt8 = 0, preempt: UInt8 = 0, _ fields: [UInt8]) -> [UInt8] {
        le(UInt64(id), 2) + [flags, preempt] + le(UInt64(UInt32(bitPattern: pid)), 4) + fields
    }

    static func kmalloc(site: UInt64, ptr: UInt64, req: UInt64, alloc: UInt64, gfp: UInt64, node: Int32, pid: Int32 = 42,
                        flags: UInt8 = 0, preempt: UInt8 = 0) -> [UInt8] {
        record(552, pid: pid, flags: flags, preempt: preempt,
               le(site, 8) + le(ptr, 8) + le(req, 8) + le(alloc, 8) + le(gfp, 8) + le(UInt64(UInt32(bitPattern: node)), 4) + [0, 0, 0, 0])
    }

    static func cacheFree(site: UInt64, ptr: UInt64, name: String, pid: Int32 = 42) -> [UInt8] {
        let text = Array(name.utf8) + [0]
        let loc = UInt64(32) | UInt64(text.count) << 16   // offset 32 from the record's start
        return record(550, pid: pid, le(site, 8) + le(ptr, 8) + le(loc, 4) + [0, 0, 0, 0] + pad4(text))
    }

    static func other(comm: String, pid: Int32, note: String, flags: UInt64, mac: [UInt8]) -> [UInt8] {
        var c = Array(comm.utf8).prefix(15).map { $0 }
        c += [UInt8](repeating: 0, count: 16 - c.count)
        let note = Array(note.utf8) + [0]
        let loc = UInt64(48) | UInt64(note.count) << 16
        return record(316, pid: pid, c + le(UInt64(UInt32(bitPattern: pid)), 4) + le(loc, 4) + le(flags, 8) + mac + [0, 0] + pad4(note))
    }

    static func kprobe(ip: UInt64, size: UInt64, align: UInt64, gfp: UInt32, caller: UInt64) -> [UInt8] {
        record(1338, pid: 1, le(ip, 8) + le(size, 8) + le(align, 8) + le(UInt64(gfp), 4) + le(caller, 8) + [0, 0, 0, 0])
    }

    static func kretprobe(function: UInt64, returnTo: UInt64, ret: UInt64) -> [UInt8] {
        record(1339, pid: 1, le(function, 8) + le(returnTo, 8) + le(ret, 8))
    }

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
    static func pad4(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4) }

    // MARK: formats

    static let headerPage = """
        \tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
        \tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
        \tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
        \tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;

        """
    static let headerEvent = """
        # compressed entry header
        \ttype_len    :    5 bits
        \ttime_delta  :   27 bits
        \tarray       :   32 bits

        \tpadding     : type == 29
        \ttime_extend : type == 30
        \ttime_stamp : type == 31
        \tdata max type_len  == 28

        """
    static let common = """
        \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
        \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
        \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
        \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

        """
    static func format(_ name: String, _ id: Int, _ fields: String, _ print: String) -> String {
        "name: \(name)\nID: \(id)\nformat:\n" + common + fields + "\nprint fmt: " + print + "\n"
    }

    static let systems: [(String, [String])] = [
        ("kmem", [
            format("kmalloc", 552, """
                \tfield:unsigned long call_site;\toffset:8;\tsize:8;\tsigned:0;
                \tfield:const void * ptr;\toffset:16;\tsize:8;\tsigned:0;
                \tfield:size_t bytes_req;\toffset:24;\tsize:8;\tsigned:0;
                \tfield:size_t bytes_alloc;\toffset:32;\tsize:8;\tsigned:0;
                \tfield:unsigned long gfp_flags;\toffset:40;\tsize:8;\tsigned:0;
                \tfield:int node;\toffset:48;\tsize:4;\tsigned:1;

                """, #""call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s", (void *)REC->call_site, REC->ptr, REC->bytes_req, REC->bytes_alloc, (REC->gfp_flags) ? __print_flags(REC->gfp_flags, "|", {( unsigned long)((( gfp_t)(0x400u|0x800u)) | (( gfp_t)0x40u) | (( gfp_t)0x80u)), "GFP_KERNEL"}, {( unsigned long)(( gfp_t)0x100u), "__GFP_ZERO"}) : "none", REC->node, (1 && (REC->gfp_flags & ( unsigned long)(( gfp_t)0x400000u))) ? "true" : "false""#),
            format("kmem_cache_free", 550, """
                \tfield:unsigned long call_site;\toffset:8;\tsize:8;\tsigned:0;
                \tfield:const void * ptr;\toffset:16;\tsize:8;\tsigned:0;
                \tfield:__data_loc char[] name;\toffset:24;\tsize:4;\tsigned:1;

                """, #""call_site=%pS ptr=%p name=%s", (void *)REC->call_site, REC->ptr, __get_str(name)"#),
        ]),
        ("vmkp", [
            format("kp_vmalloc", 1338, """
                \tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
                \tfield:u64 size;\toffset:16;\tsize:8;\tsigned:0;
                \tfield:u64 align;\toffset:24;\tsize:8;\tsigned:0;
                \tfield:u32 gfp;\toffset:32;\tsize:4;\tsigned:0;
                \tfield:u64 caller;\toffset:36;\tsize:8;\tsigned:0;

                """, #""(%lx) size=%Lu align=%Lu gfp=0x%x caller=%pS", REC->__probe_ip, REC->size, REC->align, REC->gfp, REC->caller"#),
            format("kp_vmalloc_ret", 1339, """
                \tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;
                \tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;
                \tfield:u64 ret;\toffset:24;\tsize:8;\tsigned:0;

                """, #""(%lx <- %lx) ret=0x%Lx", REC->__probe_func, REC->__probe_ret_ip, REC->ret"#),
        ]),
        ("sched", [
            format("sched_other", 316, """
                \tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:1;
                \tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
                \tfield:__data_loc char[] note;\toffset:28;\tsize:4;\tsigned:1;
                \tfield:unsigned long flags;\toffset:32;\tsize:8;\tsigned:0;
                \tfield:u8 mac[6];\toffset:40;\tsize:6;\tsigned:0;

                """, #""prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid"#),
        ]),
    ]
}
