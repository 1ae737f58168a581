package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/**
 * The problems found in one method (or one class): every stage adds to it, and {@link Reporter}
 * prints it once, when the method is done or abandoned. A method with any problem gets no code.
 */
public final class Report {
  /**
   * One located error: at {@code tree} (a {@code com.sun.source.tree.Tree}) when there is one,
   * else at {@code element}, on its {@code annotation} when given.
   */
  record Located(String text, Message kind, Object tree, Element element, AnnotationMirror annotation) {}

  private final Element element;
  private final CompilationUnitTree unit;
  private final List<Located> errors = new ArrayList<>();
  private String leftToJavac;

  /**
   * @param element where errors without a tree of their own land (the method)
   * @param unit the compilation unit of the trees the errors carry, or null when they carry none
   */
  public Report(Element element, CompilationUnitTree unit) {
    this.element = element;
    this.unit = unit;
  }

  /** An error on the report's element. */
  public void error(Message kind, Object... arguments) {
    error(element, null, kind, arguments);
  }

  /** An error on {@code at} (a method or parameter), on {@code annotation} of it when not null. */
  public void error(Element at, AnnotationMirror annotation, Message kind, Object... arguments) {
    errors.add(new Located(kind.format(arguments), kind, null, at, annotation));
  }

  /** An error found deep in a stage, at its tree (or the report's element when it has none). */
  public void add(CompileError error) {
    errors.add(new Located(error.getMessage(), error.kind(), error.tree(), element, null));
  }

  public void addAll(Collection<CompileError> found) {
    found.forEach(this::add);
  }

  /**
   * Code that javac rejects with an error of its own: the method is abandoned and nothing is
   * printed, so that javac's error stands alone.
   */
  public void leaveToJavac(JavacWillReport reason) {
    if (leftToJavac == null) {
      leftToJavac = reason.getMessage();
    }
  }

  /** Whether the method can go on: no error, nothing left to javac. */
  public boolean isClean() {
    return errors.isEmpty() && leftToJavac == null;
  }

  /**
   * Whether a later round may resolve what failed: a name did not resolve, and it may name a
   * class that another processor has yet to generate.
   */
  public boolean waitsForLaterRound() {
    return !errors.isEmpty() && errors.stream().allMatch(Report::unresolved);
  }

  /** Why the method was left to javac, for the debug note. */
  public Optional<String> leftToJavac() {
    return Optional.ofNullable(leftToJavac);
  }

  /** Where errors without a tree of their own land. */
  public Element element() {
    return element;
  }

  /**
   * The errors to print. A name that did not resolve is left out when there are other errors:
   * it is most often a variable whose declaration one of them rejected.
   */
  List<Located> errors() {
    boolean othersToo = errors.stream().anyMatch(error -> !unresolved(error));
    return othersToo ? errors.stream().filter(error -> !unresolved(error)).toList() : errors;
  }

  private static boolean unresolved(Located error) {
    return error.kind() == Message.UNRESOLVED_NAME;
  }

  /** The first error's text and its tree (null when it is on an element), to quote elsewhere. */
  public Optional<Map.Entry<String, Object>> firstError() {
    return errors().stream().findFirst()
        .map(error -> new java.util.AbstractMap.SimpleImmutableEntry<>(error.text(), error.tree()));
  }

  CompilationUnitTree unit() {
    return unit;
  }
}
