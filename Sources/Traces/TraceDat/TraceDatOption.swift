/// trace-cmd's option ids (trace-cmd.dat.v7(5), "OPTIONS SECTION"; version 6 uses the same ids).
enum TraceDatOption: UInt16 {
    case done = 0, date = 1, cpuStat = 2, buffer = 3, traceClock = 4, uname = 5, hook = 6, offset = 7
    case cpuCount = 8, version = 9, procMaps = 10, traceID = 11, timeShift = 12, guest = 13, tsc2nsec = 14
    case strings = 15, headerInfo = 16, ftraceEvents = 17, eventFormats = 18, kallsyms = 19, printk = 20
    case cmdlines = 21, bufferText = 22
}
