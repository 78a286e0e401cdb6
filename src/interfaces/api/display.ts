/**
 * The notebook helpers as the library gives them: `display` writes to this process's
 * stdout outside a Jupyter kernel, as it is documented to.
 */
import { display as displayTo, type Displayable } from '../notebook/display.ts';

/**
 * Shows a chart, a table or a text in the cell's output now, before the cell ends (Deno's
 * kernel; the cell's last value is left empty), or prints its plain text anywhere else.
 * Cells that end with `await display(…)` keep their outputs in order, however the kernel
 * schedules its messages.
 */
export function display(x: Displayable | Promise<Displayable>): Promise<void> {
  return displayTo(x, process.stdout);
}
