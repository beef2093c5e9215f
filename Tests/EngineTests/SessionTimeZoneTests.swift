import Columnar
import Testing
@testable import Engine

@Suite struct SessionTimeZoneTests {
    private let march1At8 = Int64(1_709_280_000) * 1_000_000  // 2024-03-01 08:00:00 UTC

    @Test func zoneIdsAsSparkAcceptsThem() {
        #expect(SessionTimeZone("UTC")?.isUTC == true)
        #expect(SessionTimeZone("+01:00")?.offsetSeconds(atUTC: 0) == 3600)
        #expect(SessionTimeZone("GMT-8")?.offsetSeconds(atUTC: 0) == -8 * 3600)
        #expect(SessionTimeZone("Europe/Oslo")?.offsetSeconds(atUTC: march1At8) == 3600)
        #expect(SessionTimeZone("Nowhere/Town") == nil)
        #expect(SessionTimeZone("+25:00") == nil)
    }

    @Test func wallClockTimesAcrossDaylightSavingChanges() throws {
        let ny = try #require(SessionTimeZone("America/New_York"))
        #expect(ny.format(march1At8) == "2024-03-01 03:00:00")
        // 2024-03-10 02:30 does not exist in New York: Java moves it forward by the gap (03:30 EDT).
        let gap = DateTimeUtil.daysFromCivil(year: 2024, month: 3, day: 10)
        let local = Int64(gap) * DateTimeUtil.microsPerDay + 9_000_000_000
        #expect(ny.format(ny.utc(fromLocal: local)) == "2024-03-10 03:30:00")
        // 2024-11-03 01:30 happens twice: the earlier offset (EDT) wins.
        let overlap = Int64(DateTimeUtil.daysFromCivil(year: 2024, month: 11, day: 3)) * DateTimeUtil.microsPerDay + 5_400_000_000
        #expect(ny.offsetSeconds(atUTC: ny.utc(fromLocal: overlap)) == -4 * 3600)
    }

    @Test func patternsFormatAndParseStrictly() throws {
        let p = try DateTimePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
        let local = march1At8 + 123_456
        #expect(p.format(local: local, offsetSeconds: 0, zoneID: "UTC") == "2024-03-01T08:00:00.123Z")
        #expect(p.format(local: local, offsetSeconds: -18000, zoneID: "x") == "2024-03-01T08:00:00.123-05:00")
        let parsed = try #require(p.parse("2024-03-01T08:00:00.123+01:00"))
        #expect(parsed.local == march1At8 + 123_000 && parsed.offsetSeconds == 3600)
        let d = try DateTimePattern("d/M/yyyy")
        #expect(d.parse("7/3/2024")?.local == Int64(DateTimeUtil.daysFromCivil(year: 2024, month: 3, day: 7)) * DateTimeUtil.microsPerDay)
        #expect(d.parse("31/2/2024") == nil)
        #expect(d.parse("7/3/2024x") == nil)
        #expect(try DateTimePattern("dd MMM yyyy hh:mm a").parse("01 Mar 2024 01:15 PM")?.local
                == march1At8 + 5 * 3_600_000_000 + 15 * 60_000_000)
        #expect(throws: EngineError.self) { try DateTimePattern("yyyy-bb") }
    }
}
