/** Word lists for realistic seeded tenants. Fictional companies; documentation-only domains. */

export const COMPANY_NAMES = [
  'Northwind Traders', 'Contoso Pharma', 'Fabrikam Logistics', 'Woodgrove Bank', 'Tailspin Toys',
  'Adatum Energy', 'Litware Systems', 'Proseware Health', 'Wingtip Insurance', 'Alpine Ski House',
  'Coho Winery', 'Lucerne Publishing', 'Margie Travel', 'Trey Research', 'Fourth Coffee',
  'Humongous Reinsurance', 'Relecloud Media', 'Bellows College', 'Blue Yonder Airlines', 'Graphic Design Institute',
] as const;

export const PARTNER_DOMAINS = [
  'partner-consulting.example', 'auditors-llp.example', 'supplier-one.example', 'agency-creative.example',
  'freelance-mail.example', 'university-research.example',
] as const;

export const FIRST_NAMES = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Julia',
  'Karl', 'Lena', 'Marco', 'Nina', 'Oliver', 'Paula', 'Quentin', 'Rosa', 'Stefan', 'Tara',
  'Uwe', 'Vera', 'Walter', 'Xenia', 'Yusuf', 'Zoe', 'Aisha', 'Bruno', 'Chloe', 'Dmitri',
  'Emma', 'Farid', 'Gabriel', 'Helena', 'Ines', 'Jonas', 'Kira', 'Leon', 'Mia', 'Noah',
  'Olga', 'Pedro', 'Rahel', 'Sofia', 'Tobias', 'Ulrike', 'Viktor', 'Wiebke', 'Yara', 'Amir',
  'Beatrix', 'Cem', 'Doris', 'Emil', 'Fatima', 'Georg', 'Hugo', 'Ida', 'Jan', 'Katrin',
  'Lukas', 'Maja', 'Niklas', 'Oskar', 'Petra', 'Ralf', 'Sabine', 'Thomas', 'Ute', 'Valentin',
  'Anton', 'Bianca', 'Clara', 'Dennis', 'Elif', 'Frieda', 'Gustav', 'Heike', 'Igor', 'Jana',
  'Kevin', 'Laura', 'Moritz', 'Nele', 'Ole', 'Pia', 'Robert', 'Selin', 'Timo', 'Vanessa',
  'Wei', 'Yuki', 'Priya', 'Raj', 'Chen', 'Lars', 'Ingrid', 'Matteo', 'Giulia', 'Sven',
] as const;

export const LAST_NAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger',
  'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler', 'Maier', 'Huber', 'Kaiser', 'Fuchs',
  'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Vogel', 'Friedrich', 'Keller',
  'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Martinez', 'Rossi', 'Bianchi', 'Dubois', 'Laurent',
  'Nowak', 'Kowalski', 'Novak', 'Horvat', 'Yilmaz', 'Kaya', 'Demir', 'Jansen', 'de Vries', 'Bakker',
  'Andersson', 'Nilsson', 'Hansen', 'Larsen', 'Virtanen', 'Korhonen', 'Silva', 'Santos', 'Costa', 'Pereira',
  'Nguyen', 'Tanaka', 'Sato', 'Kim', 'Lee', 'Park', 'Patel', 'Sharma', 'Singh', 'Khan',
  'Ivanov', 'Popescu', 'Papadopoulos', 'O\'Brien', 'Murphy', 'Walsh', 'Fernández', 'López', 'Gómez', 'Ramos',
] as const;

export interface Department {
  name: string;
  code: string;
  titles: readonly string[];
}

export const DEPARTMENTS: readonly Department[] = [
  { name: 'Sales', code: 'SAL', titles: ['Account Executive', 'Sales Manager', 'Sales Representative', 'Key Account Manager'] },
  { name: 'Marketing', code: 'MKT', titles: ['Marketing Specialist', 'Content Manager', 'Marketing Manager', 'Brand Strategist'] },
  { name: 'Finance', code: 'FIN', titles: ['Accountant', 'Financial Analyst', 'Controller', 'Treasury Specialist'] },
  { name: 'Human Resources', code: 'HR', titles: ['HR Business Partner', 'Recruiter', 'Payroll Specialist', 'HR Manager'] },
  { name: 'Engineering', code: 'ENG', titles: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'Site Reliability Engineer'] },
  { name: 'IT', code: 'IT', titles: ['Systems Administrator', 'Service Desk Analyst', 'Identity Engineer', 'IT Manager'] },
  { name: 'Operations', code: 'OPS', titles: ['Operations Analyst', 'Logistics Coordinator', 'Operations Manager', 'Planner'] },
  { name: 'Legal', code: 'LEG', titles: ['Legal Counsel', 'Paralegal', 'Compliance Officer', 'Data Protection Officer'] },
  { name: 'Customer Service', code: 'CS', titles: ['Support Agent', 'Customer Success Manager', 'Team Lead Support', 'Escalation Engineer'] },
  { name: 'Research', code: 'RND', titles: ['Research Scientist', 'Lab Technician', 'Research Lead', 'Data Scientist'] },
  { name: 'Procurement', code: 'PRC', titles: ['Buyer', 'Procurement Manager', 'Vendor Manager', 'Category Manager'] },
  { name: 'Security', code: 'SEC', titles: ['Security Analyst', 'Security Engineer', 'CISO Office Lead', 'Incident Responder'] },
];

export interface Site {
  city: string;
  country: string;
  countryCode: string;
  state: string | null;
  postalCode: string;
  street: string;
  phonePrefix: string;
  language: string;
}

export const SITES: readonly Site[] = [
  { city: 'Frankfurt am Main', country: 'Germany', countryCode: 'DE', state: 'Hessen', postalCode: '60311', street: 'Neue Mainzer Straße 52', phonePrefix: '+49 69 ', language: 'de-DE' },
  { city: 'Munich', country: 'Germany', countryCode: 'DE', state: 'Bayern', postalCode: '80331', street: 'Marienplatz 8', phonePrefix: '+49 89 ', language: 'de-DE' },
  { city: 'Berlin', country: 'Germany', countryCode: 'DE', state: 'Berlin', postalCode: '10117', street: 'Friedrichstraße 76', phonePrefix: '+49 30 ', language: 'de-DE' },
  { city: 'Vienna', country: 'Austria', countryCode: 'AT', state: 'Wien', postalCode: '1010', street: 'Kärntner Ring 5', phonePrefix: '+43 1 ', language: 'de-AT' },
  { city: 'Zurich', country: 'Switzerland', countryCode: 'CH', state: 'Zürich', postalCode: '8001', street: 'Bahnhofstrasse 45', phonePrefix: '+41 44 ', language: 'de-CH' },
  { city: 'Amsterdam', country: 'Netherlands', countryCode: 'NL', state: 'Noord-Holland', postalCode: '1017', street: 'Herengracht 182', phonePrefix: '+31 20 ', language: 'nl-NL' },
  { city: 'Paris', country: 'France', countryCode: 'FR', state: 'Île-de-France', postalCode: '75008', street: '12 Rue de la Paix', phonePrefix: '+33 1 ', language: 'fr-FR' },
  { city: 'Dublin', country: 'Ireland', countryCode: 'IE', state: null, postalCode: 'D02', street: '1 Grand Canal Square', phonePrefix: '+353 1 ', language: 'en-IE' },
  { city: 'London', country: 'United Kingdom', countryCode: 'GB', state: 'England', postalCode: 'EC2V 7HH', street: '30 Gresham Street', phonePrefix: '+44 20 ', language: 'en-GB' },
  { city: 'New York', country: 'United States', countryCode: 'US', state: 'NY', postalCode: '10001', street: '350 Fifth Avenue', phonePrefix: '+1 212 ', language: 'en-US' },
  { city: 'Warsaw', country: 'Poland', countryCode: 'PL', state: 'Mazowieckie', postalCode: '00-001', street: 'ul. Marszałkowska 104', phonePrefix: '+48 22 ', language: 'pl-PL' },
];

export const APP_NAMES = [
  'Payroll Portal', 'HR Connector', 'Expense Tracker', 'Contract Manager', 'Service Desk',
  'Customer Portal', 'Inventory API', 'Reporting Service', 'Learning Hub', 'Travel Booking',
  'Invoice Processing', 'Data Warehouse Loader', 'Visitor Management', 'Badge System', 'Quality Audits',
  'Fleet Manager', 'Vendor Onboarding', 'Document Signing', 'Timesheets', 'Compliance Monitor',
  'Backup Orchestrator', 'Marketing Automation', 'CRM Sync', 'Lab Notebook', 'Release Pipeline',
] as const;

export const GROUP_TOPICS = [
  'Approvers', 'Project Atlas', 'Project Borealis', 'Project Cygnus', 'Leads', 'Contractors', 'Onboarding',
  'Champions', 'Reporting', 'Budget Owners', 'Field Team', 'Night Shift', 'Works Council', 'Audit Readiness',
  'Innovation Lab', 'Mentors', 'Travel', 'Data Owners', 'Release Managers', 'On-Call',
] as const;

/** Lower-case ASCII form of a name part for addresses (umlauts transliterated, others stripped). */
export function asciiSlug(s: string): string {
  let slug = SLUGS.get(s);
  if (slug === undefined) {
    slug = slugify(s);
    if (SLUGS.size < 10000) SLUGS.set(s, slug);
  }
  return slug;
}

const SLUGS = new Map<string, string>();

function slugify(s: string): string {
  return s
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
