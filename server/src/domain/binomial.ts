/** ln(k!) by running sums of logs; grown on demand and shared, since it never changes. */
const lnFactorials: number[] = [0];

export function lnFactorial(k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new Error(`lnFactorial needs a whole number >= 0, got ${k}`);
  for (let i = lnFactorials.length; i <= k; i++) lnFactorials.push(lnFactorials[i - 1] + Math.log(i));
  return lnFactorials[k];
}

export function lnChoose(n: number, k: number): number {
  return lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);
}

export interface TailProbability {
  probability: number;
  /** log10 of the probability: still readable where the probability itself underflows to 0 */
  log10: number;
}

/**
 * P(X >= m) for X ~ Binomial(n, p), summed term by term in log space (log-sum-exp), so very
 * small tails keep their precision instead of coming out as 1 - (something close to 1).
 */
export function binomialUpperTail(n: number, m: number, p: number): TailProbability {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m)) throw new Error(`binomialUpperTail needs whole n >= 0 and m, got n=${n}, m=${m}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomialUpperTail needs 0 <= p <= 1, got ${p}`);
  if (m <= 0 || p === 1) return { probability: 1, log10: 0 };
  if (m > n || p === 0) return { probability: 0, log10: -Infinity };
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const term = (j: number) => lnChoose(n, j) + j * lnP + (n - j) * lnQ;
  // The pmf rises to its mode floor((n+1)p) and falls after, so the largest term of the tail
  // is at the mode or at m: scale by it and no term can overflow.
  const top = term(Math.min(n, Math.max(m, Math.floor((n + 1) * p))));
  let sum = 0;
  for (let j = m; j <= n; j++) sum += Math.exp(term(j) - top);
  const ln = Math.min(0, top + Math.log(sum));
  return { probability: Math.exp(ln), log10: ln / Math.LN10 };
}
