/**
 * Words the seeded tasks are made of. Title = verb + noun (+ qualifier), so a keyword search hits
 * a few (project code names) to a few hundred (verbs, common nouns) of one user's 10,000 tasks.
 */
const list = (text: string): readonly string[] => text.split('|');

export const VOCABULARY = {
  verbs: list(
    'Buy|Call|Fix|Plan|Read|Write|Email|Book|Clean|Pay|Order|Review|Schedule|Send|Update|' +
      'Renew|Cancel|Check|Prepare|Pick up|Return|Organize|Finish|Draft|Print|Sign|Submit|' +
      'Research|Water|Wash|Repair|Replace|Visit|Ask about|Follow up on|Confirm|Back up|Install|' +
      'Sort|Test',
  ),
  /** Drawn skewed (the first ones far more often), like real task lists. */
  nouns: list(
    'groceries|milk|bread|eggs|coffee|birthday gift|tickets|passport|insurance|taxes|invoice|' +
      'report|slides|budget|newsletter|dentist appointment|car|bike|laptop|phone|printer|garden|' +
      'plants|lawn|gutters|windows|kitchen|bathroom|garage|closet|laundry|dishes|fridge|oven|' +
      'heater|roof|fence|flights|hotel|train tickets|rental car|visa|vaccine|prescription|' +
      'doctor|vet|dog food|cat litter|library books|package|contract|lease|mortgage|' +
      'electricity bill|water bill|internet plan|subscription|gym membership|running shoes|' +
      'jacket|umbrella|batteries|light bulbs|paint|shelves|desk|chair|curtains|carpet|couch|' +
      'mattress|pillows|towels|shampoo|toothpaste|vitamins|recipes|dinner|lunch|party|wedding|' +
      'anniversary|presentation|proposal|resume|cover letter|interview|meeting notes|agenda|' +
      'minutes|spreadsheet|database|server|website|blog post|photos|album|documents|receipts|' +
      'warranty|manual|charger|headphones|keyboard|monitor|router|password|account|' +
      'bank statement|credit card|savings|donation|volunteer form|school form|homework|' +
      'permission slip|piano lesson|swim class|soccer practice|haircut|glasses|contact lenses|' +
      'flu shot|checkup|blood test|therapy|yoga mat|tent|sleeping bag|backpack|camera|tripod|' +
      'drone|watch|flowers|candles|wine|cheese|vegetables|fruit|rice|pasta|olive oil|spices|tea|' +
      'flour|butter|yogurt|salmon|tomatoes',
  ),
  names: list(
    'Anna|Ben|Carla|David|Emma|Farid|Grace|Hiro|Ines|Jonas|Kate|Luis|Maya|Nina|Omar|Paula|' +
      'Quinn|Rosa|Sam|Tariq|Uma|Victor|Wen|Ximena|Yusuf|Zoe|mom|dad|grandma|the landlord|' +
      'the plumber|the accountant|the team|Sarah|Tom|Lena|Marco|Priya|Kenji|Olga',
  ),
  places: list(
    'the office|home|the pharmacy|the post office|the bank|the supermarket|the hardware store|' +
      'the library|the gym|the school|the airport|the station|the clinic|city hall|the market|' +
      'the mall|the bakery|the cafe|the garden center|the town hall',
  ),
  /** Rare words: each is in about 1 of 1,200 titles. */
  codenames: list(
    'Orion|Vega|Lyra|Cygnus|Draco|Pegasus|Andromeda|Cassiopeia|Perseus|Aquila|Altair|Deneb|' +
      'Rigel|Sirius|Polaris|Antares|Arcturus|Betelgeuse|Capella|Procyon|Aldebaran|Spica|Regulus|' +
      'Castor|Pollux|Mira|Electra|Maia|Merope|Alcyone|Quartz|Basalt|Granite|Obsidian|Jasper|' +
      'Onyx|Topaz|Garnet|Beryl|Feldspar|Mica|Pyrite|Cobalt|Zircon|Galena|Malachite|Azurite|' +
      'Calcite|Dolomite|Gypsum|Danube|Rhine|Volga|Loire|Tagus|Elbe|Oder|Vistula|Tiber|Arno|' +
      'Thames|Severn|Shannon|Douro|Ebro|Rhone|Seine|Meuse|Moselle|Neckar|Heron|Falcon|Osprey|' +
      'Kestrel|Merlin|Harrier|Condor|Pelican|Puffin|Gannet|Cedar|Birch|Alder|Aspen|Hazel|' +
      'Juniper|Laurel|Linden|Maple|Rowan|Sequoia|Spruce|Sycamore|Willow|Yew|Acacia|Baobab|' +
      'Cypress|Elm|Magnolia|Nimbus|Cirrus|Stratus|Cumulus|Zephyr|Mistral|Sirocco|Monsoon|Tundra|' +
      'Mesa|Fjord|Delta|Atoll|Lagoon|Glacier|Canyon|Plateau|Caldera|Geyser|Dune',
  ),
  /** Canonical form (lower case), as the API stores tags. Drawn skewed: `work` is the most common. */
  tags: list(
    'work|home|errands|health|finance|family|shopping|travel|school|garden|car|kids|pets|' +
      'fitness|reading|projects|admin|someday|waiting|calls|email|office|house|friends|hobby|' +
      'learning|volunteering|taxes|ideas|music',
  ),
  /** Recurrence rules as users type them; seeding stores them the way the API normalizes them. */
  rrules: ['FREQ=WEEKLY', 'FREQ=DAILY', 'FREQ=MONTHLY', 'FREQ=WEEKLY;BYDAY=MO', 'FREQ=YEARLY'],
};
