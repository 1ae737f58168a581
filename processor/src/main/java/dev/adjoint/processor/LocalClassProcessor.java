package dev.adjoint.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Reports {@code @Differentiable} methods of local and anonymous classes. javac shows those
 * classes to no processor, not even in the annotations of a round, so {@link AdjointProcessor}
 * never sees them; this processor reads the trees of every source instead. It accepts every
 * annotation ({@code "*"}) so that javac runs it even when no other annotation is present, and
 * claims none. It must run before {@link AdjointProcessor} (see the order in
 * {@code META-INF/services}): javac calls no later {@code "*"} processor in a round whose
 * annotations are all claimed.
 */
@SupportedAnnotationTypes("*")
public final class LocalClassProcessor extends AbstractProcessor {
  private Trees trees;
  private Reporter reporter;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    trees = Trees.instance(environment);
    reporter = new Reporter(environment.getMessager(), trees);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Map<CompilationUnitTree, Element> units = new IdentityHashMap<>();
    for (Element root : round.getRootElements()) {
      TreePath path = trees.getPath(root);
      if (path != null) {
        units.putIfAbsent(path.getCompilationUnit(), root);
      }
    }
    units.forEach((unit, root) -> {
      Report report = new Report(root, unit);
      new Finder(unit, report).scan(unit, null);
      reporter.print(report);
    });
    return false;
  }

  /** Finds annotated methods in classes that are not members of a class or of the file. */
  private static final class Finder extends TreePathScanner<Void, Void> {
    private final Report report;
    private final boolean importsAnnotation;

    Finder(CompilationUnitTree unit, Report report) {
      this.report = report;
      String annotationPackage = DifferentiableSignature.ANNOTATION.substring(
          0, DifferentiableSignature.ANNOTATION.lastIndexOf('.'));
      boolean samePackage = unit.getPackageName() != null && unit.getPackageName().toString().equals(annotationPackage);
      this.importsAnnotation = samePackage || unit.getImports().stream()
          .filter(importTree -> !importTree.isStatic())
          .map(ImportTree::getQualifiedIdentifier)
          .map(Object::toString)
          .anyMatch(name -> name.equals(DifferentiableSignature.ANNOTATION) || name.equals(annotationPackage + ".*"));
    }

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      if (insideCode(getCurrentPath())) {
        for (Tree member : type.getMembers()) {
          if (member instanceof MethodTree method) {
            for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
              if (isDifferentiable(annotation)) {
                report.add(new CompileError(annotation, Message.LOCAL_CLASS, method.getName()));
              }
            }
          }
        }
      }
      return super.visitClass(type, unused);
    }

    /** Whether a class is declared in code (a method, an initialiser), itself or a class around it. */
    private static boolean insideCode(TreePath path) {
      for (TreePath outer = path.getParentPath(); outer != null; outer = outer.getParentPath()) {
        if (!(outer.getLeaf() instanceof ClassTree) && !(outer.getLeaf() instanceof CompilationUnitTree)) {
          return true;
        }
      }
      return false;
    }

    private boolean isDifferentiable(AnnotationTree annotation) {
      String name = annotation.getAnnotationType().toString();
      return name.equals(DifferentiableSignature.ANNOTATION)
          || (importsAnnotation && name.equals(DifferentiableSignature.ANNOTATION.substring(
              DifferentiableSignature.ANNOTATION.lastIndexOf('.') + 1)));
    }
  }
}
