// The country and subdivision codes an address may name: ISO 3166-1 alpha-2 countries, and the
// ISO 3166-2 subdivisions of the countries whose tax is set per subdivision (US states).
//
// A tax rate is looked up by these codes, so an unknown code must be refused rather than taxed as
// "somewhere without a rate": otherwise an address could dodge tax by naming a made-up region.

const COUNTRIES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Subdivisions by country, for the countries taxed per subdivision. */
const SUBDIVISIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  US: new Set(
    (
      "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK " +
      "OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR UM VI"
    ).split(" "),
  ),
};

export const isCountryCode = (code: string) => COUNTRIES.has(code);

/** Whether a country's tax depends on the address's region (a US state). */
export const taxedBySubdivision = (country: string) => Object.hasOwn(SUBDIVISIONS, country);

const normalise = (region: string | undefined) => region?.trim().toUpperCase() ?? "";

/** The subdivision a region names, where the country is taxed per subdivision and the code is known; else null. */
export function subdivisionOf(country: string, region: string | undefined): string | null {
  const code = normalise(region);
  return SUBDIVISIONS[country]?.has(code) ? code : null;
}

/**
 * A region that cannot be taxed: the country is taxed per subdivision and the region names none we
 * know. (Elsewhere the region is free text, a county or a province, and plays no part in tax.)
 */
export function unknownRegion(country: string, region: string | undefined): boolean {
  const code = normalise(region);
  return code !== "" && taxedBySubdivision(country) && subdivisionOf(country, code) === null;
}
