/** Memory-bounded memos for values that are costly to make and read many times (generated scenes, their features). */
package org.sep4j.core.cache;
