// The transaction page is drawn by the server; this module only runs the shared bar.
import { boot } from "./app.js";
import { ready } from "./ui.js";

await boot();
ready();
