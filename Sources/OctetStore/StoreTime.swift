import Foundation

/// How the store writes times: whole milliseconds since 1970-01-01 UTC in an `INTEGER`.
/// Every `Date` that enters the database is rounded to the millisecond first, so that what is
/// read back, exported (ISO 8601 with milliseconds) and imported again is the same `Date`.
enum StoreTime {
    /// `date` as milliseconds since 1970, rounded to the nearest.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date `milliseconds` after 1970-01-01 UTC.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `date` rounded to the millisecond, as the store will give it back.
    static func rounded(_ date: Date) -> Date {
        self.date(milliseconds(date))
    }
}
