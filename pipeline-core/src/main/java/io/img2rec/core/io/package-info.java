/** File helpers every module uses: atomic writes, content hashes. */
package io.img2rec.core.io;
