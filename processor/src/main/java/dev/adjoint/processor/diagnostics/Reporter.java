package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/** Prints errors once, attached to the tree or element that caused them. */
public final class Reporter {
  private final Messager messager;
  private final Trees trees;
  private int errorCount;

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  public void error(Element element, Message kind, Object... arguments) {
    errorCount++;
    messager.printMessage(Kind.ERROR, kind.format(arguments), element);
  }

  public void error(Element element, AnnotationMirror annotation, Message kind, Object... arguments) {
    errorCount++;
    messager.printMessage(Kind.ERROR, kind.format(arguments), element, annotation);
  }

  /** Prints {@code error} at its tree in {@code unit}, or at {@code element} when it has none. */
  public void error(CompileError error, Element element, CompilationUnitTree unit) {
    errorCount++;
    if (error.tree() instanceof Tree tree && unit != null) {
      trees.printMessage(Kind.ERROR, error.getMessage(), tree, unit);
    } else {
      messager.printMessage(Kind.ERROR, error.getMessage(), element);
    }
  }

  public void note(Element element, String text) {
    messager.printMessage(Kind.NOTE, text, element);
  }

  public int errorCount() {
    return errorCount;
  }
}
