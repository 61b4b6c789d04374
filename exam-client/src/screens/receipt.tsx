import { useMemo } from 'preact/hooks';
import { renderSVG } from 'uqr';
import type { Strings } from '../i18n';

/**
 * The signed receipt on the result screen: a QR code that opens the receipt check (/verify/)
 * with the receipt in the address, the receipt's text, and printing. The receipt itself is the
 * server's signed note (docs/verifiability.md): nothing here changes it.
 */
export function SignedReceipt({ t, receipt, verifyUrl }: { t: Strings; receipt: string; verifyUrl: string | null }) {
  const url = verifyUrl ?? `${location.origin}/verify/`;
  // the QR opens the check with the receipt in the fragment, which never leaves the phone
  const svg = useMemo(() => renderSVG(`${url}#r=${encodeURIComponent(receipt)}`, { ecc: 'L', border: 2 }), [url, receipt]);
  return (
    <aside class="signed-receipt" aria-labelledby="signed-receipt-title">
      <h2 id="signed-receipt-title">{t.signedReceipt}</h2>
      <div class="qr" role="img" aria-label={t.receiptQr} dangerouslySetInnerHTML={{ __html: svg }} />
      <p class="small">{t.signedReceiptText(url)}</p>
      <details class="receipt-text">
        <summary>{t.showReceiptText}</summary>
        <pre data-signed-receipt>{receipt}</pre>
      </details>
      <pre class="print-only" aria-hidden="true">
        {receipt}
      </pre>
      <button type="button" class="print-receipt" onClick={() => window.print()}>
        {t.printReceipt}
      </button>
    </aside>
  );
}
