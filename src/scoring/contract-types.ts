/**
 * The contract in plain language: the same text for `leadcal definition explain`, the Definition
 * page of the site and anyone who reads the JSON. Pure: a definition in, sections of sentences out
 * (explainDefinition in ./explain.ts; formatContract in ./contract-text.ts writes it for a terminal).
 */
export interface Contract {
  title: string;
  version: string;
  status: string;
  /** One or two sentences on what the score is for and when it is measured. */
  summary: string[];
  sections: ContractSection[];
}

export interface ContractSection {
  id: string;
  title: string;
  intro: string[];
  items: ContractItem[];
}

export interface ContractItem {
  text: string;
  /** The cases of a criterion: "1,000 to 4,999 employees: +20". */
  cases?: string[];
}
