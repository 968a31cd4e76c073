/// <reference types="pdfkit" />
import type { PrintBlock, PrintDocument, PrintFigure, PrintPage } from "../core/kernel/feature.js";
import type { Chart } from "../core/kernel/view.js";

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export const pdfFonts = { regular: "DejaVuSans", bold: "DejaVuSans-Bold" } as const;

export const pdfTheme = {
  margins: { top: 56, bottom: 50, left: 48, right: 48 },
  ink: "#1f2933",
  quiet: "#52606d",
  rule: "#cbd2d9",
  gap: 12,
  figureColumns: 4,
} as const;

interface TextStyle {
  bold?: boolean;
  size: number;
  colour?: string;
  /** Space after, in points. */
  after?: number;
  indent?: number;
}

/**
 * Lays a document's pages out on A4, top to bottom. Before anything is drawn its height is measured,
 * and a block that would pass the foot of the page goes to a new page headed "(continued)", so pdfkit
 * never breaks a page on its own. Each piece is drawn inside its structure element (headings,
 * paragraphs, lists, figures with alternative text); running headers and footers are artifacts.
 */
export class PageLayout {
  private y = 0;
  private heading = "";
  private section!: Struct;
  private readonly root: Struct;
  private readonly opened = new Map<Chart, unknown>();

  constructor(
    private readonly doc: Doc,
    private readonly document: PrintDocument,
    private readonly images: ReadonlyMap<Chart, Buffer>,
  ) {
    this.root = doc.struct("Document");
    doc.addStructure(this.root);
  }

  page(page: PrintPage, first: boolean): void {
    this.heading = page.heading;
    this.newPage(first);
    this.section = this.doc.struct("Sect");
    this.root.add(this.section);
    if (first) {
      // The first page's own heading is the document's: its title and what it covers.
      this.write("H1", this.document.title, { bold: true, size: 20, after: 2 });
      this.write("P", this.document.subtitle, { size: 12, colour: pdfTheme.quiet, after: 8 });
    } else {
      this.write("H2", page.heading, { bold: true, size: 16, after: 8 });
    }
    for (const block of page.blocks) this.block(block);
  }

  /** Numbers every page and writes the footer, once all pages are laid out. */
  finish(): void {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let index = start; index < start + count; index++) {
      doc.switchToPage(index);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - 32;
      this.artifact(() => {
        doc.font(pdfFonts.regular).fontSize(8).fillColor(pdfTheme.quiet);
        doc.text(this.document.footer, this.left, y, { width: this.width - 90, lineBreak: false });
        doc.text(`Page ${index + 1} of ${count}`, this.left, y, { width: this.width, align: "right", lineBreak: false });
      });
      doc.page.margins.bottom = bottom;
    }
    this.root.end();
  }

  private get left(): number {
    return pdfTheme.margins.left;
  }

  private get width(): number {
    return this.doc.page.width - pdfTheme.margins.left - pdfTheme.margins.right;
  }

  private block(block: PrintBlock): void {
    switch (block.type) {
      case "text":
        return this.write("P", block.text, { size: 10, after: 8 });
      case "note":
        return this.write("P", block.text, { size: 8.5, colour: pdfTheme.quiet, after: 8 });
      case "list":
        return this.list(block.title, block.items);
      case "figures":
        return this.figureRows(block.figures);
      case "figure-columns":
        return this.figureColumns(block.columns);
      case "charts":
        return this.charts(block.charts);
      default: {
        const never: never = block;
        throw new Error(`Unknown block ${JSON.stringify(never)}`);
      }
    }
  }

  private newPage(first = false): void {
    const doc = this.doc;
    doc.addPage();
    this.y = pdfTheme.margins.top;
    if (first) return;
    this.artifact(() => {
      doc.font(pdfFonts.regular).fontSize(8).fillColor(pdfTheme.quiet);
      doc.text(`${this.document.title}: ${this.document.subtitle}`, this.left, 26, { width: this.width, height: 10, ellipsis: true, lineBreak: false });
      doc.moveTo(this.left, 40).lineTo(this.left + this.width, 40).lineWidth(0.5).strokeColor(pdfTheme.rule).stroke();
    });
  }

  /** Goes on to a new page, under the page's heading marked continued, unless `height` more fits on this one. */
  private ensure(height: number): void {
    if (this.y + height <= this.doc.page.height - pdfTheme.margins.bottom - 1) return;
    this.newPage();
    this.write("H2", `${this.heading} (continued)`, { bold: true, size: 16, after: 8 }, false);
  }

  private measure(text: string, style: TextStyle, width = this.width - (style.indent ?? 0)): number {
    this.doc.font(style.bold ? pdfFonts.bold : pdfFonts.regular).fontSize(style.size);
    return this.doc.heightOfString(text, { width });
  }

  private write(tag: string, text: string, style: TextStyle, mayBreak = true, parent: Struct = this.section): void {
    const indent = style.indent ?? 0;
    const height = this.measure(text, style);
    if (mayBreak) this.ensure(height);
    const y = this.y;
    parent.add(
      this.doc.struct(tag, {}, () => {
        this.doc.font(style.bold ? pdfFonts.bold : pdfFonts.regular).fontSize(style.size).fillColor(style.colour ?? pdfTheme.ink);
        this.doc.text(text, this.left + indent, y, { width: this.width - indent });
      }),
    );
    this.y += height + (style.after ?? 0);
  }

  private list(title: string | undefined, items: readonly string[]): void {
    const itemStyle: TextStyle = { size: 9, indent: 11, after: 3 };
    if (title) {
      // A list's title stays with its first item.
      this.ensure(this.measure(title, { bold: true, size: 11 }) + 6 + (items[0] ? this.measure(items[0], itemStyle) : 0));
      this.write("H3", title, { bold: true, size: 11, after: 6 });
    }
    const list = this.doc.struct("L");
    this.section.add(list);
    for (const item of items) {
      const height = this.measure(item, itemStyle);
      this.ensure(height);
      const y = this.y;
      list.add(
        this.doc.struct("LI", {}, [
          this.doc.struct("Lbl", {}, () => this.doc.font(pdfFonts.regular).fontSize(9).fillColor(pdfTheme.quiet).text("•", this.left + 2, y, { lineBreak: false })),
          this.doc.struct("LBody", {}, () => this.doc.font(pdfFonts.regular).fontSize(9).fillColor(pdfTheme.ink).text(item, this.left + 11, y, { width: this.width - 11 })),
        ]),
      );
      this.y += height + 3;
    }
    list.end();
    this.y += 6;
  }

  /** A figure: its label small above its value, so it reads "Members 1,204" aloud as on paper. */
  private figure(figure: PrintFigure, x: number, y: number, width: number, valueSize: number): number {
    const label = this.measureAt(figure.label, 8, false, width);
    const value = this.measureAt(figure.value, valueSize, true, width);
    this.section.add(
      this.doc.struct("P", {}, () => {
        this.doc.font(pdfFonts.regular).fontSize(8).fillColor(pdfTheme.quiet).text(figure.label, x, y, { width });
        this.doc.font(pdfFonts.bold).fontSize(valueSize).fillColor(pdfTheme.ink).text(figure.value, x, y + label + 1, { width });
      }),
    );
    return label + 1 + value;
  }

  private measureAt(text: string, size: number, bold: boolean, width: number): number {
    return this.measure(text, { size, bold }, width);
  }

  private figureRows(figures: readonly PrintFigure[]): void {
    const columns = pdfTheme.figureColumns;
    const width = (this.width - (columns - 1) * pdfTheme.gap) / columns;
    for (let start = 0; start < figures.length; start += columns) {
      const row = figures.slice(start, start + columns);
      const height = Math.max(...row.map((figure) => this.measureAt(figure.label, 8, false, width) + 1 + this.measureAt(figure.value, 15, true, width)));
      this.ensure(height);
      row.forEach((figure, index) => this.figure(figure, this.left + index * (width + pdfTheme.gap), this.y, width, 15));
      this.y += height + 10;
    }
    this.y += 4;
  }

  private figureColumns(columns: readonly { title: string; figures: readonly PrintFigure[] }[]): void {
    if (columns.length === 0) return;
    const width = (this.width - (columns.length - 1) * pdfTheme.gap) / columns.length;
    const heights = columns.map(
      (column) => this.measureAt(column.title, 9, true, width) + 6 + column.figures.reduce((sum, figure) => sum + this.measureAt(figure.label, 8, false, width) + 1 + this.measureAt(figure.value, 12, true, width) + 7, 0),
    );
    this.ensure(Math.max(...heights));
    const top = this.y;
    columns.forEach((column, index) => {
      const x = this.left + index * (width + pdfTheme.gap);
      let y = top;
      this.artifact(() => this.doc.moveTo(x, y - 4).lineTo(x + width, y - 4).lineWidth(1).strokeColor(pdfTheme.rule).stroke(), "Layout");
      const title = this.measureAt(column.title, 9, true, width);
      this.section.add(this.doc.struct("H3", {}, () => this.doc.font(pdfFonts.bold).fontSize(9).fillColor(pdfTheme.ink).text(column.title, x, y, { width })));
      y += title + 6;
      for (const figure of column.figures) y += this.figure(figure, x, y, width, 12) + 7;
    });
    this.y = top + Math.max(...heights) + 8;
  }

  private charts(charts: readonly { chart: Chart; alt: string }[]): void {
    const width = (this.width - pdfTheme.gap) / 2;
    const height = width * (9 / 16);
    for (let start = 0; start < charts.length; start += 2) {
      this.ensure(height);
      charts.slice(start, start + 2).forEach(({ chart, alt }, index) => {
        const x = this.left + index * (width + pdfTheme.gap);
        const y = this.y;
        const image = this.image(chart);
        this.section.add(this.doc.struct("Figure", { alt }, () => this.doc.image(image, x, y, { width, height })));
      });
      this.y += height + 10;
    }
  }

  /** A chart's image, embedded once however often it is placed. */
  private image(chart: Chart): PDFKit.Mixins.ImageSrc {
    let image = this.opened.get(chart);
    if (!image) {
      const png = this.images.get(chart);
      if (!png) throw new Error(`No image drawn for the chart "${chart.title}"`);
      image = (this.doc as unknown as { openImage(src: Buffer): unknown }).openImage(png);
      this.opened.set(chart, image);
    }
    return image as PDFKit.Mixins.ImageSrc;
  }

  private artifact(draw: () => void, type: "Pagination" | "Layout" = "Pagination"): void {
    this.doc.markContent("Artifact", { type });
    draw();
    this.doc.endMarkedContent();
  }
}
