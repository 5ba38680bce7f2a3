// Types for the parts of format.js that the TypeScript tests import (test/report/format-*.test.ts).
export function quarterOf(date: string): string;
export function nextQuarter(label: string): string;
export function quarterStart(label: string): string;
export function duration(minutes: number): string;
