// The app shell: mounts the panels and starts the engine worker.
import './styles.css';
import { startEngine } from './engine-lifecycle';
import { mountShell } from './shell';

mountShell(document.getElementById('app')!);
void startEngine();
