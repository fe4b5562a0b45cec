import TimeBankCLI
import TimeBankStorage

#if canImport(Glibc)
import Glibc
#endif

let context = CommandContext(
    output: StandardStream.output, errors: StandardStream.error,
    environment: ProcessEnvironment.current, clock: SystemClock())
exit(TimeBankCLI.run(Array(CommandLine.arguments.dropFirst()), context: context))
