/** File-system habits every writer in sep4j shares: atomic replacement of output files. */
package org.sep4j.core.io;
