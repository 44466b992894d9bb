import MemtopCommand

#if canImport(Glibc)
import Glibc
#endif

exit(Memtop.main(arguments: Array(CommandLine.arguments.dropFirst())))
