import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if FUZZING
/// libFuzzer's entry for programs that own `main`. SwiftPM links executables with its own `main`, so
/// libFuzzer's would never run; calling the driver from ours is what makes a fuzz build fuzz at all.
@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

/// The `main` of each fuzz executable.
///
/// Built with `-sanitize=fuzzer,address -DFUZZING` (`make fuzz`) it hands control to libFuzzer. Built
/// normally it replays the files and folders named on the command line, so a crash file from a fuzz run can
/// be reproduced in a debugger without the sanitizer build.
public enum FuzzDriver {
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    public static func main(_ callback: Callback) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runLibFuzzer(&argc, &argv, callback))
        #else
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            printError("usage: \(CommandLine.arguments[0]) FILE|DIR... (replays inputs; `make fuzz` builds the fuzzer)")
            exit(2)
        }
        var replayed = 0
        for path in paths {
            let files: [String]
            do {
                files = try CorpusFiles.list(path)
            } catch {
                printError("\(error)")
                exit(1)
            }
            for file in files {
                guard let input = try? CorpusFiles.read(file) else {
                    printError("\(file): cannot read")
                    exit(1)
                }
                _ = input.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
                replayed += 1
            }
        }
        print("replayed \(replayed) inputs without a finding")
        exit(0)
        #endif
    }

    /// Runs one check on the bytes libFuzzer hands over; a finding aborts, which libFuzzer records as a crash
    /// and saves the input.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int,
                           _ check: ([UInt8]) throws(FuzzFinding) -> Void) -> Int32 {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try check(input)
        } catch {
            printError("FINDING: \(error)")
            abort()
        }
        return 0
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
