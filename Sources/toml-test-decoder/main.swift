// The toml-test decoder contract: TOML on standard input; tagged JSON on standard output, or
// the problems on standard error and exit status 1.
import Foundation
import TimeBankCore

let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
let result = TOMLDecoder.decode(input)
if result.hasErrors {
    let lines = result.diagnostics.map { "\($0.range.start): \($0.severity.rawValue)[\($0.id)]: \($0.message)\n" }
    FileHandle.standardError.write(Data(lines.joined().utf8))
    exit(1)
}
print(TOMLTaggedJSON.render(result.document))
