import type { Chrome } from '../main';
import type { View } from '../session';
import { TopBar } from './chrome';
import { SignedReceipt } from './receipt';

/**
 * The candidate's result, as the server stored it. It is also the end of this PC's session:
 * "Selesai dan keluar" clears the PC so the next candidate can log in (a reload alone would
 * bring the result back).
 */
export function ResultScreen({ chrome, view, onLogout }: { chrome: Chrome; view: View; onLogout: () => void }) {
  const { t } = chrome;
  const r = view.result!;
  const st = view.state!;
  const terminated = st.attempt.state === 'terminated';
  // a threshold set may ask for a total as well as for each section (docs: special groups)
  const totalFailure = r.failures.find((f) => f.on === 'total');
  return (
    <div class="page">
      <TopBar chrome={chrome} connection={view.connection} />
      <main class="center">
        <section class={`card result${r.receipt ? ' with-receipt' : ''}`} aria-labelledby="result-title">
          <div class="result-main">
          <h1 id="result-title">{terminated ? t.terminated : t.resultTitle}</h1>
          <p class="who">
            {st.candidate.name} · {st.candidate.registrationNumber} · {st.candidate.formation}
          </p>
          {terminated && <p>{t.terminatedText}</p>}
          {r.endReason === 'time' && (
            <p class="ended" data-testid="ended-by">
              {t.endedByTime}
            </p>
          )}
          {r.endReason === 'sitting-closed' && (
            <p class="ended" data-testid="ended-by">
              {t.endedByClose}
            </p>
          )}
          <table class="scores">
            <tbody>
              {Object.entries(r.sections).map(([id, score]) => {
                const failure = r.failures.find((f) => f.on === id);
                return (
                  <tr key={id} class={failure ? 'below' : ''}>
                    <th scope="row">
                      {id} <small>{r.sectionTitles[id]}</small>
                    </th>
                    <td data-section={id}>{score}</td>
                    <td class="req">{failure ? `min. ${failure.required}` : ''}</td>
                  </tr>
                );
              })}
              <tr class={`total${totalFailure ? ' below' : ''}`}>
                <th scope="row">{t.total}</th>
                <td data-section="total">{r.total}</td>
                <td class="max">
                  / {r.maxTotal}
                  {totalFailure && <span class="req">min. {totalFailure.required}</span>}
                </td>
              </tr>
            </tbody>
          </table>
          <p class={`verdict ${r.passed ? 'pass' : 'fail'}`} role="status">
            {r.passed ? '✔ ' : '✖ '}
            {r.passed ? t.passed : t.failed}
          </p>
          <p class="small">
            {t.thresholdSet}: {r.thresholdSetName}
          </p>
          <p class="receipt">
            {t.receipt}: <strong data-receipt>{r.receiptId}</strong>
          </p>
          </div>
          {r.receipt && <SignedReceipt t={t} receipt={r.receipt} verifyUrl={st.verifyUrl} />}
          <p class="small logout-note">{t.logoutNote}</p>
          <button type="button" class="primary big" onClick={onLogout} data-testid="logout">
            {t.logout}
          </button>
        </section>
      </main>
    </div>
  );
}
