"""Understanding what a person asked: two independent opinions and one decision.

Issue 10 measured that DIET, trained on phrasings written by people who knew the topic list,
generalised worse to unseen wording than a plain TF-IDF logistic regression, and that answering
only when two different kinds of model agree halves the wrong answers. So:

- ``text``: one preparation of a message for both models (spelling repair, lemmas, medicine names
  mapped to their kind);
- ``classifier``: TF-IDF (lemma word 1-2 grams + character 2-5 grams) + logistic regression over
  every intent (the "discriminative" opinion);
- ``retriever``: nearest examples, titles and answers in the knowledge base (the "instance"
  opinion), also the staff search engine;
- ``decision``: answer when they agree, clarify with choices from both when they do not, say "I
  didn't understand" when neither has a real guess; thresholds chosen on the dev set
  (``python -m bot eval --tune``), never on the test set;
- ``augment``: code-generated variants (typos, casing, punctuation, fillers) for training;
- ``data``: the training examples (data/nlu) and the labelled dev/test sets.

All pure Python (scikit-learn, rapidfuzz); the Rasa component in bot/components/topic_classifier.py
is a thin adapter, so the figures ``python -m bot eval`` prints are those of the served model.
"""
