/**
 * The vocabularies the demo draws from: people, companies, places, pages, assets, campaigns.
 * Plain data, no logic. Every list is passed to DuckDB as a variable and indexed by a seeded hash,
 * so changing a list changes the demo's output (and its byte-identical fixtures) on purpose only.
 */

/** A comma-separated list written across lines, as an array. */
function words(text: string): string[] {
  return text
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

export const FIRST_NAMES = words(`
  James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, David, Elizabeth, William, Barbara,
  Richard, Susan, Joseph, Jessica, Thomas, Sarah, Charles, Karen, Christopher, Lisa, Daniel, Nancy,
  Matthew, Betty, Anthony, Sandra, Mark, Margaret, Steven, Ashley, Paul, Kimberly, Andrew, Emily,
  Joshua, Donna, Kevin, Michelle, Brian, Carol, George, Amanda, Timothy, Melissa, Ronald, Deborah,
  Jason, Stephanie, Ryan, Rebecca, Jacob, Laura, Gary, Sharon, Nicholas, Cynthia, Eric, Kathleen,
  Jonathan, Amy, Stephen, Angela, Larry, Shirley, Justin, Anna, Scott, Brenda, Brandon, Pamela,
  Benjamin, Emma, Samuel, Nicole, Gregory, Helen, Alexander, Samantha, Priya, Arjun, Wei, Mei, Hiroshi,
  Yuki, Lukas, Lena, Mateo, Sofia, Lucas, Camille, Jonas, Freja, Oliver, Amelia, Noah, Isla, Liam,
  Chloe, Rafael, Beatriz, Thiago, Fernanda, Sebastian, Clara, Henrik, Ingrid, Pierre, Julie, Diego,
  Lucia, Aisha, Omar, Fatima, Rohan, Ananya, Kenji, Sakura, Max, Hannah, Finn, Mia, Leon, Marie
`);

export const LAST_NAMES = words(`
  Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez,
  Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson, White,
  Harris, Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Torres,
  Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter, Roberts,
  Patel, Shah, Kumar, Singh, Chen, Wang, Li, Zhang, Tanaka, Suzuki, Sato, Müller, Schmidt, Schneider,
  Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Dubois, Laurent, Bernard, Moreau, Lefebvre, Rossi,
  Russo, Ferrari, Silva, Santos, Oliveira, Souza, Costa, Pereira, Jansen, de Vries, van Dijk, Bakker,
  Andersson, Johansson, Karlsson, Nilsson, O'Brien, O'Connor, Murphy, Kelly, Walsh, MacDonald, Fraser,
  Novak, Kowalski
`);

/** Company names are a prefix and a root (plus a legal suffix by country); the domain is their slug. */
export const COMPANY_PREFIXES = words(`
  North, Blue, Bright, Iron, Silver, Red, Green, Clear, Swift, True, Summit, Cedar, Pine, Oak, Maple,
  River, Harbor, Stone, Golden, Quantum, Vertex, Apex, Nova, Polar, Crystal, Eagle, Falcon, Atlas,
  Orbit, Pioneer, Keystone, Beacon, Granite, Lumen, Vector, Signal, Prime, Upland, Coastal, Meridian,
  Horizon, Evergreen, Redwood, Copper, Cobalt, Indigo, Amber, Sterling, Liberty, Frontier, Alpine, Sun,
  Star, Moon, Fox, Wolf, Bear, Hawk, Tiger, Lion
`);

export const COMPANY_ROOTS = words(`
  Analytics, Systems, Logistics, Health, Labs, Works, Dynamics, Solutions, Partners, Capital, Foods,
  Robotics, Energy, Media, Networks, Software, Bank, Insurance, Retail, Manufacturing, Pharma, Biotech,
  Consulting, Group, Holdings, Industries, Technologies, Data, Cloud, Security, Freight, Motors,
  Materials, Clinics, Learning, Studios, Ventures, Brands, Supply, Foundry
`);

/** Country code, share of leads, legal suffix, web top-level domain, phone prefix. */
export const COUNTRIES: { code: string; weight: number; suffix: string; tld: string; phone: string }[] = [
  { code: "US", weight: 0.44, suffix: "Inc.", tld: "com", phone: "+1" },
  { code: "GB", weight: 0.1, suffix: "Ltd", tld: "co.uk", phone: "+44" },
  { code: "DE", weight: 0.09, suffix: "GmbH", tld: "de", phone: "+49" },
  { code: "FR", weight: 0.06, suffix: "SAS", tld: "fr", phone: "+33" },
  { code: "CA", weight: 0.06, suffix: "Inc.", tld: "ca", phone: "+1" },
  { code: "NL", weight: 0.04, suffix: "B.V.", tld: "nl", phone: "+31" },
  { code: "AU", weight: 0.04, suffix: "Pty Ltd", tld: "com.au", phone: "+61" },
  { code: "BR", weight: 0.04, suffix: "Ltda", tld: "com.br", phone: "+55" },
  { code: "IN", weight: 0.05, suffix: "Pvt Ltd", tld: "in", phone: "+91" },
  { code: "ES", weight: 0.03, suffix: "S.L.", tld: "es", phone: "+34" },
  { code: "SE", weight: 0.03, suffix: "AB", tld: "se", phone: "+46" },
  { code: "JP", weight: 0.02, suffix: "K.K.", tld: "jp", phone: "+81" },
];

/** Industry, share of companies, revenue per employee (USD). */
export const INDUSTRIES: { name: string; weight: number; revenuePerEmployee: number }[] = [
  { name: "software", weight: 0.2, revenuePerEmployee: 250_000 },
  { name: "financial_services", weight: 0.12, revenuePerEmployee: 400_000 },
  { name: "healthcare", weight: 0.1, revenuePerEmployee: 150_000 },
  { name: "manufacturing", weight: 0.14, revenuePerEmployee: 300_000 },
  { name: "retail", weight: 0.1, revenuePerEmployee: 200_000 },
  { name: "professional_services", weight: 0.12, revenuePerEmployee: 180_000 },
  { name: "education", weight: 0.05, revenuePerEmployee: 90_000 },
  { name: "government", weight: 0.04, revenuePerEmployee: 120_000 },
  { name: "media", weight: 0.06, revenuePerEmployee: 220_000 },
  { name: "logistics", weight: 0.07, revenuePerEmployee: 260_000 },
];

export const PERSONAL_DOMAINS = words(`
  gmail.com, gmail.com, gmail.com, yahoo.com, outlook.com, hotmail.com, icloud.com, gmx.de, web.de,
  aol.com
`);

/** Domains the loader (and the ground truth) read as student: .edu, .ac.*, student.* */
export const STUDENT_DOMAINS = words(`
  stanford.edu, mit.edu, umich.edu, nyu.edu, ox.ac.uk, ucl.ac.uk, student.tudelft.nl,
  student.uni-mannheim.de, usp.edu.br, unimelb.edu.au
`);

/** A few competitors sign up to look at the product; their domains are business domains to the loader. */
export const COMPETITORS = [
  { company: "Scorewise Inc.", domain: "scorewise.io" },
  { company: "LeadMetrics Ltd", domain: "leadmetrics.com" },
  { company: "FunnelForge Inc.", domain: "funnelforge.com" },
  { company: "QualifyHQ Inc.", domain: "qualifyhq.com" },
];

export const SENIORITIES = [
  "c_level",
  "vp",
  "director",
  "manager",
  "individual_contributor",
  "student",
] as const;
export const DEPARTMENTS = [
  "marketing",
  "sales",
  "it",
  "engineering",
  "operations",
  "finance",
  "hr",
  "executive",
  "other",
] as const;

/** Job title stems by department: [c-level title, function name, individual contributor title]. */
export const DEPARTMENT_TITLES: Record<(typeof DEPARTMENTS)[number], [string, string, string]> = {
  marketing: ["CMO", "Marketing", "Marketing Specialist"],
  sales: ["CRO", "Sales", "Account Executive"],
  it: ["CIO", "IT", "Systems Administrator"],
  engineering: ["CTO", "Engineering", "Software Engineer"],
  operations: ["COO", "Operations", "Operations Analyst"],
  finance: ["CFO", "Finance", "Financial Analyst"],
  hr: ["CHRO", "People", "HR Generalist"],
  executive: ["CEO", "Strategy", "Chief of Staff"],
  other: ["Founder", "Business", "Analyst"],
};

export const CHANNELS = [
  "organic_search",
  "paid_search",
  "paid_social",
  "email",
  "events",
  "referral",
  "direct",
  "partner",
] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Per channel: share of leads, marketing cost per lead (USD), source, utm_medium, campaign stems
 * (a campaign is a stem plus the quarter it ran in, e.g. ps-generic-2025q3; none for direct/organic).
 */
export const CHANNEL_SPECS: Record<
  Channel,
  { weight: number; costPerLead: number; source: string; utmMedium: string | null; campaigns: string[] }
> = {
  organic_search: { weight: 0.22, costPerLead: 15, source: "web_form", utmMedium: "organic", campaigns: [] },
  paid_search: {
    weight: 0.18,
    costPerLead: 120,
    source: "web_form",
    utmMedium: "cpc",
    campaigns: ["ps-brand", "ps-generic", "ps-competitor"],
  },
  paid_social: {
    weight: 0.12,
    costPerLead: 85,
    source: "lead_gen_form",
    utmMedium: "paid_social",
    campaigns: ["li-leadgen", "li-abm", "fb-retarget"],
  },
  email: {
    weight: 0.1,
    costPerLead: 20,
    source: "web_form",
    utmMedium: "email",
    campaigns: ["newsletter", "nurture-scoring", "product-launch"],
  },
  events: {
    weight: 0.08,
    costPerLead: 240,
    source: "event_scan",
    utmMedium: null,
    campaigns: ["saas-connect", "revops-summit", "roadshow"],
  },
  referral: {
    weight: 0.08,
    costPerLead: 35,
    source: "referral",
    utmMedium: "referral",
    campaigns: ["customer-referral"],
  },
  direct: { weight: 0.12, costPerLead: 5, source: "web_form", utmMedium: null, campaigns: [] },
  partner: {
    weight: 0.1,
    costPerLead: 60,
    source: "partner_portal",
    utmMedium: "partner",
    campaigns: ["partner-crmcloud", "partner-adsuite", "partner-consultancy"],
  },
};

/** Engagement details by activity type. Webinars and emails also carry their month. */
export const PAGES = words(`
  /, /product, /product/scoring, /product/calibration, /product/reports, /integrations,
  /integrations/salesforce, /integrations/hubspot, /customers, /customers/case-study-fintech,
  /blog/what-is-an-mql, /blog/lead-scoring-models, /blog/cost-per-sql, /blog/bant-is-not-dead,
  /blog/sales-sla, /about, /security, /docs/getting-started
`);
export const CAREERS_PAGES = ["/careers", "/careers/account-executive", "/careers/data-engineer"];
export const PRICING_PAGES = ["/pricing", "/pricing", "/pricing/enterprise", "/pricing/compare"];
export const RETURN_PAGES = ["/", "/product", "/pricing", "/blog", "/customers"];
export const ASSETS = [
  "ebook: The B2B Lead Scoring Playbook",
  "whitepaper: Scorecards for Sales and Marketing",
  "report: State of RevOps 2025",
  "template: Marketing-Sales SLA",
  "checklist: Cleaning CRM Data",
  "ebook: Cost per SQL, Explained",
];
export const WEBINARS = [
  "Scoring leads like a credit analyst",
  "From MQL to revenue",
  "Setting thresholds sales trusts",
  "Quarterly review of your lead definition",
];
export const FORMS = ["contact-us", "newsletter-signup", "trial-signup", "roi-calculator"];
export const DEMO_FORMS = ["demo-request", "contact-sales"];
export const EMAILS = [
  "newsletter",
  "nurture-1-welcome",
  "nurture-2-case-study",
  "nurture-3-pricing",
  "event-invite",
];
export const INTENT_TOPICS = [
  "bombora: lead scoring software",
  "bombora: predictive lead scoring",
  "g2: lead scoring category",
  "g2: competitor comparison",
];
export const UNSUBSCRIBE_DETAILS = ["all emails", "newsletter"];
export const OPEN_DEAL_STAGES = ["Discovery", "Proposal", "Negotiation"];

export const SENIORITY_WEIGHTS = [0.05, 0.08, 0.15, 0.25, 0.455, 0.015];
export const DEPARTMENT_WEIGHTS = [0.28, 0.18, 0.12, 0.1, 0.1, 0.06, 0.04, 0.05, 0.07];
/** Leads by hour of day (UTC): a working day spanning Europe and the Americas. */
export const HOUR_WEIGHTS = [
  0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.5, 0.8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1.2, 1.2, 1.2, 1.2, 0.8, 0.4, 0.4,
];
/** Authority by seniority: decision_maker, influencer, gatekeeper, none, blank. */
export const AUTHORITY_WEIGHTS = [
  [0.65, 0.2, 0.02, 0.03, 0.1],
  [0.65, 0.2, 0.02, 0.03, 0.1],
  [0.35, 0.45, 0.03, 0.05, 0.12],
  [0.1, 0.5, 0.15, 0.1, 0.15],
  [0.03, 0.3, 0.25, 0.2, 0.22],
  [0, 0.05, 0.05, 0.6, 0.3],
];
