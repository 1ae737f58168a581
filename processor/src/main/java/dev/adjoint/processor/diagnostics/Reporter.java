package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/** The one way to the Messager: prints a {@link Report}'s errors, each at the tree or element that caused it. */
public final class Reporter {
  private final Messager messager;
  private final Trees trees;

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  public void print(Report report) {
    for (Report.Located error : report.errors()) {
      if (error.tree() instanceof Tree tree && report.unit() != null) {
        trees.printMessage(Kind.ERROR, error.text(), tree, report.unit());
      } else if (error.annotation() != null) {
        messager.printMessage(Kind.ERROR, error.text(), error.element(), error.annotation());
      } else {
        messager.printMessage(Kind.ERROR, error.text(), error.element());
      }
    }
  }

  /** A report of one error on {@code element}, printed at once: for problems outside any method. */
  public void error(Element element, Message kind, Object... arguments) {
    error(element, null, kind, arguments);
  }

  public void error(Element element, AnnotationMirror annotation, Message kind, Object... arguments) {
    Report report = new Report(element, null);
    report.error(element, annotation, kind, arguments);
    print(report);
  }

  public void note(Element element, String text) {
    messager.printMessage(Kind.NOTE, text, element);
  }
}
