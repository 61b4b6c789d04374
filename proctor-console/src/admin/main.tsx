import { render } from 'preact';

render(<p>Konsol admin</p>, document.getElementById('app')!);
