// The `TimeBank` library product: everything another Swift program needs, in one import.
@_exported import TimeBankCore
@_exported import TimeBankStorage
