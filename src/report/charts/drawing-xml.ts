/** The drawing part that places a sheet's charts (xl/drawings/drawingN.xml, ECMA-376 Part 1 §20.5). */
import type { ChartSpec } from './spec.js';
import { xmlText } from './chart-xml.js';

const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A cell corner in the drawing's 0-based coordinates. */
const corner = (tag: string, c: { row: number; col: number }) =>
  `<xdr:${tag}><xdr:col>${c.col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${c.row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;

/** One anchor per chart, moving and sizing with its cells; `relIds[i]` is the drawing's relationship to chart i. */
export function drawingXml(charts: readonly ChartSpec[], relIds: readonly string[]): string {
  const anchors = charts.map((c, i) => {
    const frame =
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="Chart ${i + 1}" title="${xmlText(c.title)}" descr="${xmlText(c.description)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
      `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" xmlns:r="${NS_R}" r:id="${relIds[i]}"/></a:graphicData></a:graphic></xdr:graphicFrame>`;
    return `<xdr:twoCellAnchor>${corner('from', c.from)}${corner('to', c.to)}${frame}<xdr:clientData/></xdr:twoCellAnchor>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">${anchors.join('')}</xdr:wsDr>`;
}
