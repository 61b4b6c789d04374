import type { RosterImportResult, SittingDetail } from '../../../server/src/contract/http';
import { saveBlob } from './api';
import { t } from './i18n';
import { Banner, siteTime } from './ui';

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Candidate cards (kartu peserta) with each PIN, printable two to a row on A4. Shown once, right
 * after the import: the server keeps only the PINs' HMACs, so nothing can show them again.
 */
export function Cards({ sitting, issued, onDone }: { sitting: SittingDetail; issued: RosterImportResult; onDone: () => void }) {
  const csv = () =>
    saveBlob(
      new Blob(['\uFEFF' + ['registration_number,name,formation,group,seat,pin', ...issued.candidates.map((c) => [c.registrationNumber, c.name, c.formation, c.group, c.seat ?? '', c.pin].map(csvCell).join(','))].join('\r\n') + '\r\n'], { type: 'text/csv' }),
      `pin-${sitting.id}.csv`,
    );
  return (
    <section class="cards-view" aria-labelledby="cards-title">
      <div class="no-print stack">
        <h2 id="cards-title">
          {t('cardsTitle')} ({issued.candidates.length})
        </h2>
        <Banner kind="warning">{t('pinsOnce')}</Banner>
        <div class="buttons">
          <button type="button" class="primary" onClick={() => window.print()}>
            {t('print')}
          </button>
          <button type="button" onClick={csv}>
            {t('downloadPins')}
          </button>
          <button type="button" onClick={onDone}>
            {t('doneCards')}
          </button>
        </div>
      </div>
      <div class="cards" data-testid="cards">
        {issued.candidates.map((c) => (
          <article class="candidate-card" key={c.id} data-registration={c.registrationNumber}>
            <header>
              <strong>{t('cardTitle')}</strong>
              <span>{sitting.name}</span>
            </header>
            <div class="card-body">
              {c.photoUrl ? <img class="card-photo" src={c.photoUrl} alt={c.name} /> : <div class="card-photo placeholder" aria-hidden="true" />}
              <dl>
                <dt>{t('registrationNumber')}</dt>
                <dd class="mono strong">{c.registrationNumber}</dd>
                <dt>{t('name')}</dt>
                <dd>{c.name}</dd>
                <dt>{t('formation')}</dt>
                <dd>{c.formation}</dd>
                <dt>{t('cardPlace')}</dt>
                <dd>
                  {sitting.site} · {sitting.room}
                  {c.seat && ` · ${t('seat')} ${c.seat}`}
                </dd>
                <dt>{t('cardTime')}</dt>
                <dd>{siteTime(sitting.scheduledStart, sitting.timezone)}</dd>
              </dl>
            </div>
            <p class="card-pin">
              {t('pin')}: <span class="mono" data-testid="pin">{c.pin}</span>
            </p>
            <p class="card-note">
              {sitting.requireToken && `${t('cardTokenNote')} `}
              {t('cardKeep')}
            </p>
          </article>
        ))}
      </div>
    </section>
  );
}
