/**
 * Whether "3/4" is March 4 or 3 April depends on where the user lives; the zone is the only hint.
 * Zones whose country writes month first (United States, Philippines, and East Asia's M/D), zones whose
 * country writes day first, and every other zone: unknown (the engine then asks).
 */
type DateOrder = 'month-first' | 'day-first' | 'unknown';

const MONTH_FIRST =
  /^(?:America\/(?:New_York|Chicago|Denver|Phoenix|Los_Angeles|Anchorage|Adak|Boise|Detroit|Juneau|Sitka|Nome|Yakutat|Metlakatla|Menominee|Indiana\/\w+|Kentucky\/\w+|North_Dakota\/\w+)|Pacific\/Honolulu|US\/\w+|Asia\/(?:Tokyo|Seoul|Shanghai|Taipei|Manila))$/;

const DAY_FIRST =
  /^(?:Europe\/\w+|Australia\/\w+|Africa\/\w+|Atlantic\/(?:Reykjavik|Canary|Madeira|Azores|Faroe)|Pacific\/(?:Auckland|Fiji)|Asia\/(?:Kolkata|Calcutta|Dubai|Singapore|Jakarta|Karachi|Dhaka|Bangkok|Ho_Chi_Minh|Kuala_Lumpur|Jerusalem|Tel_Aviv|Riyadh|Tehran|Istanbul|Hong_Kong)|America\/(?:Sao_Paulo|Argentina\/\w+|Buenos_Aires|Mexico_City|Bogota|Lima|Santiago|Caracas|Montevideo|La_Paz|Asuncion|Guayaquil))$/;

export function dateOrderIn(timeZone: string): DateOrder {
  if (MONTH_FIRST.test(timeZone)) return 'month-first';
  if (DAY_FIRST.test(timeZone)) return 'day-first';
  return 'unknown';
}
