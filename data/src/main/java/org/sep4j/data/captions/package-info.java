/**
 * Text for language-queried separation without a captioned dataset: captions generated from class
 * labels (several templates and synonyms per class) and the rule-based parser that splits a caption
 * into the phrases BiSep queries.
 */
package org.sep4j.data.captions;
