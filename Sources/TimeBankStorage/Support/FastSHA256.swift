import CCrypto
import TimeBankCore

/// SHA-256 through the system's libcrypto, which uses the CPU's SHA instructions where it has them
/// (about three times the speed of the portable `SHA256` on this machine). One instance per thread:
/// it reuses its digest context.
final class FastSHA256 {
    /// nil when libcrypto could not allocate one; the portable implementation is used then.
    private let context: OpaquePointer?
    /// SHA-256 looked up once: `EVP_sha256()` makes OpenSSL 3 look the algorithm up again on every digest.
    private let algorithm: OpaquePointer?

    init() {
        context = EVP_MD_CTX_new()
        algorithm = EVP_MD_fetch(nil, "SHA256", nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
        EVP_MD_free(algorithm)
    }

    /// The 32-byte digest of `bytes`, written to `output` (which must hold 32 bytes).
    func hash(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        var size: UInt32 = 0
        // These calls fail only when out of memory or when SHA-256 is missing from libcrypto; the
        // portable implementation is then used instead, which gives the same digest.
        guard let context, EVP_DigestInit_ex(context, algorithm ?? EVP_sha256(), nil) == 1,
              EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1,
              EVP_DigestFinal_ex(context, output, &size) == 1, size == 32 else {
            let digest = SHA256.hash(Array(bytes))
            for index in 0..<32 { output[index] = digest[index] }
            return
        }
    }

    func hash(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            bytes.withUnsafeBytes { hash($0, into: buffer.baseAddress!) }
            count = 32
        }
    }
}
